// How Boost.Test prints core enums in failure messages (found by ADL; boost_test_print_type is
// Boost.Test's customisation point, so no operator<< leaks into the core's namespaces' users).
#pragma once

#include "stronghold/access/authorize.hpp"
#include "stronghold/api/error.hpp"
#include "stronghold/validate/sensitive.hpp"

#include <ostream>

namespace stronghold::api {
inline std::ostream& boost_test_print_type(std::ostream& os, ErrorCode c)
{
    return os << to_string(c);
}
} // namespace stronghold::api

namespace stronghold::validate {
inline std::ostream& boost_test_print_type(std::ostream& os, SensitiveKind k)
{
    return os << to_string(k);
}
} // namespace stronghold::validate

namespace stronghold::access {
inline const char* decision_name(Decision d)
{
    return d == Decision::allow ? "allow" : d == Decision::forbidden ? "forbidden" : "not_found";
}
inline std::ostream& boost_test_print_type(std::ostream& os, Decision d)
{
    return os << decision_name(d);
}
inline std::ostream& boost_test_print_type(std::ostream& os, RecordScope s)
{
    return os << to_string(s);
}
} // namespace stronghold::access
