#!/usr/bin/env bash
# varied_invoices.sh N: a JSON array of N invoices of three lines each for POST
# /api2/invoices/add_bulk.json, varied the way real ones are (items, prices, quantities, dates, notes)
# from a fixed seed, so the same N always gives the same bytes. Identical records would compress and
# decode unlike real pages. Used by compression.sh and decode.sh.
set -euo pipefail
awk -v n="${1:?usage: varied_invoices.sh N}" 'BEGIN {
  srand(3); printf "[";
  for (i = 0; i < n; i++) {
    printf "%s{\"Invoice\":{\"client_id\":1,\"date\":\"2026-%02d-%02d\",\"currency_code\":\"EGP\",\"notes\":\"order %d\"},\"InvoiceItem\":[", (i ? "," : ""), 1 + int(rand() * 11), 1 + int(rand() * 28), i;
    for (j = 0; j < 3; j++)
      printf "%s{\"item\":\"Item %d\",\"description\":\"line %d of order %d\",\"unit_price\":%.2f,\"quantity\":%d}", (j ? "," : ""), 1 + int(rand() * 500), j, i, 1 + rand() * 499, 1 + int(rand() * 20);
    printf "]}";
  }
  printf "]" }'
