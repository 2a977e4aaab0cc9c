#include "stronghold/validate/session.hpp"

namespace stronghold::validate {

Status session_setting(const char* field, std::int64_t v, const SessionBounds& b)
{
    if (v >= b.min && v <= b.max)
        return {};
    return api::make_error(api::ErrorCode::validation_failed,
                           "must be between " + std::to_string(b.min) + " and " + std::to_string(b.max), field);
}

} // namespace stronghold::validate
