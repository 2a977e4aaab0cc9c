// Demo data for `serve --dev` (and later `demo seed` and benchmarks): a demo agency, its
// sub-account, an owner with a fresh generated password, and realistic contacts.
#pragma once

#include "store/store.hpp"

#include "stronghold/crypto/crypto.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace stronghold::server {

inline constexpr const char* k_demo_agency_name = "Northwind Agency";
inline constexpr const char* k_demo_owner_email = "owner@demo.stronghold.test";
inline constexpr std::size_t k_demo_contacts = 1000;
inline constexpr std::uint64_t k_demo_data_seed = 20261126; // contacts' content is the same on every install

struct DemoLogin {
    std::string agency_id;
    std::string account_id;
    std::string user_id;
    std::string email;
    std::string password; // shown once in the --dev banner; never logged
    bool created = false; // false when an earlier run's demo tenant was reused
};

// Creates the demo tenant once. On later runs it reuses it and sets a NEW password (so the
// banner printed by this run is always true); contacts are added only if the sub-account has
// none (e.g. an earlier run stopped half way). secret_rng makes the password and all ids: keep
// the default CSPRNG outside tests. Contact content comes from a fixed seed (k_demo_data_seed).
Result<DemoLogin> seed_demo(Store& store, model::UnixMillis now, crypto::Random& secret_rng = crypto::system_random());

// n contacts in `scope`, in batches (one transaction and one audit row per batch of 10,000).
// Names span several cultures (accented Latin, Greek, Cyrillic), 1-2 emails, E.164 phones,
// tags from a small set, times spread over the year before `now`. Content is deterministic for
// a given data_rng; ids come from id_rng.
// progress(done) runs after every committed batch.
Status seed_contacts(Store& store, const TenantScope& scope, std::size_t n, crypto::Random& data_rng,
                     model::UnixMillis now, const std::string& owner_id = {},
                     crypto::Random& id_rng = crypto::system_random(),
                     const std::function<void(std::size_t done)>& progress = {});

// A password that passes the IAM-2 default policy: 4 groups of 5 from a 56-symbol alphabet
// (no look-alikes), joined by '-' (about 116 bits), with an upper-case letter, a lower-case
// letter and a digit guaranteed.
std::string generate_password(crypto::Random& rng);

} // namespace stronghold::server
