#pragma once
// The streaming side of the lenient converter: a list answer is read event by event (no JSON tree)
// and each record's scalars are handed to a record_sink, which writes them straight into the models.
// The streaming path covers the common shape only (flat records of scalars); whatever it does not
// cover, or any value it cannot take, makes it decline, and the caller decodes the answer with the
// tree-based converter (codec.hpp), which stays the reference and produces every error message.

#include "daftra/model/codec.hpp"

#include <boost/json/value.hpp>

#include <bitset>
#include <cstddef>
#include <string_view>
#include <vector>

namespace daftra::model {

/// One scalar of an answer: a string (`text`), or a number, boolean or null (`value`).
struct scalar {
    std::string_view text;
    const boost::json::value* value = nullptr;  ///< null when the scalar is the string `text`

    bool is_string() const noexcept { return value == nullptr; }
};

/// Receives the records of a list answer as they are read. Each call returns false to decline
/// (the caller then falls back to the tree decoder).
class record_sink {
public:
    /// About how many records will follow (a hint).
    virtual void reserve(std::size_t records) = 0;
    /// A record starts; `wrapper` is its key in the answer item (e.g. "Invoice").
    virtual bool begin_record(std::string_view wrapper) = 0;
    /// One key of the record with a scalar value.
    virtual bool field(std::string_view key, const scalar& value) = 0;
    /// The record's object has closed; sibling keys of the wrapper may follow.
    virtual void end_fields() = 0;
    /// One key beside the wrapper, with a scalar value.
    virtual bool sibling(std::string_view key, const scalar& value) = 0;

protected:
    ~record_sink() = default;
};

/// Builds models of type T from the events, with the rules of decode_to (codec.hpp). Declines a record
/// that holds a relation (nested or beside it), a nested value, a repeated key, or a value the
/// converter would reject. Instantiated with the converter (DAFTRA_MODEL_INSTANTIATE).
template <class T>
class record_builder final : public record_sink {
public:
    explicit record_builder(std::vector<T>& out) noexcept : out_(out) {}

    void reserve(std::size_t records) override { out_.reserve(out_.size() + records); }
    bool begin_record(std::string_view wrapper) override;
    bool field(std::string_view key, const scalar& value) override;
    void end_fields() override;
    bool sibling(std::string_view key, const scalar& value) override;

    /// Members per model at most, as counted by its member table (the largest built-in model has 81).
    static constexpr std::size_t max_members = 256;

private:
    std::vector<T>& out_;
    T* current_ = nullptr;
    std::bitset<max_members> seen_;   // members (by table index) the current record has set
    std::size_t fields_extra_ = 0;    // entries of current_->extra that came from the record itself
    std::size_t extra_hint_ = 0;      // the previous record's extra size: records of a page look alike
};

} // namespace daftra::model
