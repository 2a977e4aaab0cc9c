#include "stronghold/model/filter.hpp"

#include "stronghold/validate/text.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace stronghold::model {

namespace {

struct OpName {
    FilterOp op;
    std::string_view name;
};
constexpr std::array<OpName, 9> k_ops = {{{FilterOp::eq, "eq"},
                                          {FilterOp::ne, "ne"},
                                          {FilterOp::lt, "lt"},
                                          {FilterOp::lte, "lte"},
                                          {FilterOp::gt, "gt"},
                                          {FilterOp::gte, "gte"},
                                          {FilterOp::in, "in"},
                                          {FilterOp::prefix, "prefix"},
                                          {FilterOp::exists, "exists"}}};

constexpr std::size_t k_max_id_chars = 64;

api::Error invalid(std::string message, std::string_view param)
{
    return api::make_error(api::ErrorCode::validation_failed, std::move(message), std::string(param));
}

// Milliseconds since the epoch, as digits (what the dashboard sends from a date picker), or ISO 8601.
std::optional<UnixMillis> parse_time(std::string_view text)
{
    if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        UnixMillis v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc{} || end != text.data() + text.size())
            return std::nullopt;
        return v;
    }
    return parse_iso8601(text);
}

bool valid_id(std::string_view text)
{
    return !text.empty() && text.size() <= k_max_id_chars && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

// One operand of the field's type, appended to the filter; false (with the message) when invalid.
bool add_operand(Filter& f, FilterType type, std::string_view text, std::string& message)
{
    switch (type) {
    case FilterType::time:
        if (auto t = parse_time(text)) {
            f.times.push_back(*t);
            return true;
        }
        message = "must be an ISO 8601 UTC time (e.g. 2026-01-31T00:00:00Z) or milliseconds since 1970";
        return false;
    case FilterType::id:
        if (valid_id(text)) {
            f.values.emplace_back(text);
            return true;
        }
        message = "must be an id";
        return false;
    case FilterType::text:
    case FilterType::set: {
        const auto len = validate::utf8_length(text);
        if (!len || *len > k_filter_max_value_chars || validate::has_control_chars(text)) {
            message = "must be at most 254 characters of text";
            return false;
        }
        if (f.op == FilterOp::prefix && text.empty()) {
            message = "must not be empty";
            return false;
        }
        f.values.emplace_back(text);
        return true;
    }
    }
    return false;
}

} // namespace

std::string_view filter_op_name(FilterOp op)
{
    for (const auto& o : k_ops)
        if (o.op == op)
            return o.name;
    return "eq";
}

bool is_filter_param(std::string_view name)
{
    const auto open = name.find('[');
    return open != std::string_view::npos && open > 0 && name.size() > open + 2 && name.back() == ']';
}

bool filter_op_allowed(FilterType type, FilterOp op)
{
    switch (type) {
    case FilterType::text:
        return true;
    case FilterType::id:
        return op == FilterOp::eq || op == FilterOp::ne || op == FilterOp::in || op == FilterOp::exists;
    case FilterType::time:
        return op != FilterOp::prefix;
    case FilterType::set:
        return op == FilterOp::eq || op == FilterOp::ne || op == FilterOp::in || op == FilterOp::prefix ||
               op == FilterOp::exists;
    }
    return false;
}

Result<Filter> parse_filter_param(std::string_view name, std::string_view value, std::span<const FilterField> fields)
{
    if (!is_filter_param(name))
        return invalid("is not a filter; write field[op]=value", name);
    const auto open = name.find('[');
    const std::string_view field_name = name.substr(0, open);
    const std::string_view op_name = name.substr(open + 1, name.size() - open - 2);
    const auto field = std::find_if(fields.begin(), fields.end(), [&](const FilterField& f) { return f.name == field_name; });
    if (field == fields.end()) {
        std::string known;
        for (const auto& f : fields)
            known += (known.empty() ? "" : ", ") + std::string(f.name);
        return invalid("filters only these fields: " + known, name);
    }
    const auto op = std::find_if(k_ops.begin(), k_ops.end(), [&](const OpName& o) { return o.name == op_name; });
    if (op == k_ops.end())
        return invalid("is not a known operator (eq, ne, lt, lte, gt, gte, in, prefix, exists)", name);
    if (!filter_op_allowed(field->type, op->op))
        return invalid("the operator " + std::string(op->name) + " does not apply to this field", name);

    Filter f;
    f.field = std::string(field->name);
    f.op = op->op;
    std::string message;
    if (f.op == FilterOp::exists) {
        if (value != "true" && value != "false")
            return invalid("must be true or false", name);
        f.exists = value == "true";
    } else if (f.op == FilterOp::in) {
        std::size_t count = 0;
        for (std::size_t start = 0;;) {
            const auto comma = value.find(',', start);
            const auto item = value.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
            if (++count > k_filter_max_in)
                return invalid("takes at most 100 comma-separated values", name);
            if (!add_operand(f, field->type, item, message))
                return invalid(message, name);
            if (comma == std::string_view::npos)
                break;
            start = comma + 1;
        }
    } else if (!add_operand(f, field->type, value, message)) {
        return invalid(message, name);
    }
    return f;
}

} // namespace stronghold::model
