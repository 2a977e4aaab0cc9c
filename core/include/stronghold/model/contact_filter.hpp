// The filters a contacts list accepts (DESIGN.md "Lists": field[op]=value), for the browser's
// filter builder and the server's parser alike (model/filter.hpp). email and tag are sets: a
// contact matches when one of its addresses (lower-cased) or tags does.
#pragma once

#include "stronghold/model/filter.hpp"

#include <array>

namespace stronghold::model {

inline constexpr std::array<FilterField, 8> k_contact_filter_fields = {{{"first_name", FilterType::text},
                                                                        {"last_name", FilterType::text},
                                                                        {"company_name", FilterType::text},
                                                                        {"owner_id", FilterType::id},
                                                                        {"created_at", FilterType::time},
                                                                        {"updated_at", FilterType::time},
                                                                        {"email", FilterType::set},
                                                                        {"tag", FilterType::set}}};

} // namespace stronghold::model
