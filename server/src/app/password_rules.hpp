// The rules a NEW password must pass (IAM-2), shared by every path that sets one (change in
// password.cpp, reset by email link in password_reset.cpp), so none can be weaker than another.
#pragma once

#include "app/context.hpp"

#include <string>

namespace stronghold::server {

// The core evaluator under the agency's policy (length, classes, profile), with the names a
// password must not contain (email name, user name, agency name). validation_failed on field
// "new_password" with the first problem's message. Cheap: runs before any hashing.
Status check_new_password(AppServices& services, const model::User& user, const std::string& agency_id,
                          const std::string& password);

// No reuse of the last N passwords (the agency's password_history): true when `password`
// matches `current_hash` or one of the N-1 before it. Argon2id per hash: call on the hash pool.
bool reuses_recent_password(AppServices& services, const std::string& user_id, const std::string& agency_id,
                            const std::string& current_hash, const std::string& password);

} // namespace stronghold::server
