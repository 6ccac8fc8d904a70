#pragma once
// The resource table: every resource Daftra's API documentation describes as one declarative line
// (the same list scripts/gen_models.py generated the models from; see docs/design.md, "Generated
// models"). The generic operations (operations.hpp) implement list/get/create/update/remove
// for all of them; nothing is written per resource.
//
// Not in the table, because their paths carry more than an id (they are calls of their own on the
// client): general listing (/api2/listing/{model}), notes' create (/api2/notes/{type}/{id}),
// follow-up actions' list (/follow_up_actions/{type}), bulk invoice create, booking status/convert,
// bookings' list/get (v2 entity "booking") and the generic v2 entity API.

#include "daftra/model/all.hpp"
#include "daftra/resources/spec.hpp"

namespace daftra::resources {

// clang-format off
inline constexpr resource_spec<invoice> invoices{{.id = "invoices", .path = "/api2/invoices", .write_key = "Invoice", .read_key = "Invoice"}};
inline constexpr resource_spec<estimate> estimates{{.id = "estimates", .path = "/api2/estimates", .write_key = "Estimate", .read_key = "Estimate"}};
inline constexpr resource_spec<credit_note> credit_notes{{.id = "credit_notes", .path = "/api2/credit_notes", .write_key = "CreditNote", .read_key = "CreditNote"}};
inline constexpr resource_spec<refund_receipt> refund_receipts{{.id = "refund_receipts", .path = "/api2/refund_receipts", .write_key = "RefundReceipt", .read_key = "RefundReceipt"}};
inline constexpr resource_spec<purchase_order> purchase_invoices{{.id = "purchase_invoices", .path = "/api2/purchase_invoices", .write_key = "PurchaseOrder", .read_key = "PurchaseOrder"}};
inline constexpr resource_spec<purchase_refund> purchase_refunds{{.id = "purchase_refunds", .path = "/api2/purchase_refunds", .write_key = "PurchaseRefund", .read_key = "PurchaseRefund"}};
inline constexpr resource_spec<client_record> clients{{.id = "clients", .path = "/api2/clients", .write_key = "Client", .read_key = "Client"}};
inline constexpr resource_spec<supplier> suppliers{{.id = "suppliers", .path = "/api2/suppliers", .write_key = "Supplier", .read_key = "Supplier"}};
inline constexpr resource_spec<staff_member> staff{{.id = "staff", .path = "/api2/staff", .write_key = "Staff", .read_key = "Staff", .ops = op_list | op_get}};
inline constexpr resource_spec<client_attendance> client_attendance_log{{.id = "client_attendance_log", .path = "/api2/client-attendance-log/store", .write_key = "ClientAttendance", .read_key = "ClientAttendance", .ops = op_create, .json_suffix = false}};
inline constexpr resource_spec<client_appointment> client_appointments{{.id = "client_appointments", .path = "/api2/client_appointments", .write_key = "FollowUpReminder", .read_key = "ClientAppointment", .read_key_alt = "FollowUpReminder"}};
inline constexpr resource_spec<invoice_appointment> invoice_appointments{{.id = "invoice_appointments", .path = "/api2/invoice_appointments", .write_key = "InvoiceAppointment", .read_key = "InvoiceAppointment"}};
inline constexpr resource_spec<estimate_appointment> estimate_appointments{{.id = "estimate_appointments", .path = "/api2/estimate_appointments", .write_key = "EstimateAppointment", .read_key = "EstimateAppointment"}};
inline constexpr resource_spec<work_order_appointment> work_order_appointments{{.id = "work_order_appointments", .path = "/api2/work_order_appointments", .write_key = "WorkOrderAppointment", .read_key = "WorkOrderAppointment"}};
inline constexpr resource_spec<note> notes{{.id = "notes", .path = "/api2/notes", .write_key = "Note", .read_key = "Note", .ops = op_list | op_get | op_update | op_remove}};
inline constexpr resource_spec<product> products{{.id = "products", .path = "/api2/products", .write_key = "Product", .read_key = "Product"}};
inline constexpr resource_spec<product_category> product_categories{{.id = "product_categories", .path = "/api2/product_categories", .write_key = "ProductCategory", .read_key = "ProductCategory", .read_key_alt = "Category", .ops = op_list | op_get}};
inline constexpr resource_spec<time_entry> time_tracking{{.id = "time_tracking", .path = "/api2/time_tracking", .write_key = "TimeTracking", .read_key = "TimeTracking"}};
inline constexpr resource_spec<work_order> work_orders{{.id = "work_orders", .path = "/api2/work_orders", .write_key = "WorkOrder", .read_key = "WorkOrder"}};
inline constexpr resource_spec<tax> taxes{{.id = "taxes", .path = "/api2/taxes", .write_key = "Tax", .read_key = "Tax"}};
inline constexpr resource_spec<invoice_payment> invoice_payments{{.id = "invoice_payments", .path = "/api2/invoice_payments", .write_key = "InvoicePayment", .read_key = "InvoicePayment"}};
inline constexpr resource_spec<client_payment> client_payments{{.id = "client_payments", .path = "/api2/client_payments", .write_key = "ClientPayment", .read_key = "ClientPayment"}};
inline constexpr resource_spec<expense> expenses{{.id = "expenses", .path = "/api2/expenses", .write_key = "Expense", .read_key = "Expense"}};
inline constexpr resource_spec<income> incomes{{.id = "incomes", .path = "/api2/incomes", .write_key = "Income", .read_key = "Income"}};
inline constexpr resource_spec<store> stores{{.id = "stores", .path = "/api2/stores", .write_key = "Store", .read_key = "Store"}};
inline constexpr resource_spec<stock_transaction> stock_transactions{{.id = "stock_transactions", .path = "/api2/stock_transactions", .write_key = "StockTransaction", .read_key = "StockTransaction"}};
inline constexpr resource_spec<treasury> treasuries{{.id = "treasuries", .path = "/api2/treasuries", .write_key = "Treasury", .read_key = "Treasury"}};
inline constexpr resource_spec<journal> journals{{.id = "journals", .path = "/api2/journals", .write_key = "Journal", .read_key = "Journal"}};
inline constexpr resource_spec<journal_account> journal_accounts{{.id = "journal_accounts", .path = "/api2/journal_accounts", .write_key = "JournalAccount", .read_key = "JournalAccount"}};
inline constexpr resource_spec<journal_category> journal_cats{{.id = "journal_cats", .path = "/api2/journal_cats", .write_key = "JournalCat", .read_key = "JournalCat"}};
inline constexpr resource_spec<follow_up_status> follow_up_statuses{{.id = "follow_up_statuses", .path = "/api2/follow_up_statuses", .write_key = "", .read_key = "FollowUpStatus", .ops = op_list | op_get | op_create | op_remove, .list_path = "/v2/api/entity/follow_up_status/list/1", .create_path = "/v2/api/entity/follow_up_status"}};
inline constexpr resource_spec<follow_up_action> follow_up_actions{{.id = "follow_up_actions", .path = "/api2/follow_up_actions", .write_key = "", .read_key = "FollowUpAction", .ops = op_get | op_remove}};
inline constexpr resource_spec<site_info> site{{.id = "site_info", .path = "/api2/site_info", .write_key = "", .read_key = "Site", .ops = op_get, .singleton = true}};
inline constexpr resource_spec<requisition> requisitions{{.id = "requisitions", .path = "/api2/requisitions", .write_key = "Requisition", .read_key = "Requisition", .json_suffix = false}};
inline constexpr resource_spec<booking> bookings{{.id = "bookings", .path = "/api2/bookings", .write_key = "Invoice", .read_key = "Invoice", .ops = op_create | op_remove, .json_suffix = false, .create_path = "/api2/bookings/add"}};
// clang-format on

/// Calls `f(spec)` for every line of the table, in table order (used by tests and the command line).
template <class F>
constexpr void for_each_resource(F&& f) {
    f(invoices); f(estimates); f(credit_notes); f(refund_receipts); f(purchase_invoices);
    f(purchase_refunds); f(clients); f(suppliers); f(staff); f(client_attendance_log);
    f(client_appointments); f(invoice_appointments); f(estimate_appointments);
    f(work_order_appointments); f(notes); f(products); f(product_categories); f(time_tracking);
    f(work_orders); f(taxes); f(invoice_payments); f(client_payments); f(expenses); f(incomes);
    f(stores); f(stock_transactions); f(treasuries); f(journals); f(journal_accounts);
    f(journal_cats); f(follow_up_statuses); f(follow_up_actions); f(site); f(requisitions);
    f(bookings);
}

} // namespace daftra::resources
