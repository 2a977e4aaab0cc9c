// CRM-5 sensitive-data guard: finds payment card numbers, IBANs, US SSNs and passport numbers in
// free text. Browser and server run this same code; a sub-account chooses refuse or mask.
#pragma once

#include "stronghold/api/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::validate {

enum class SensitiveKind { card_number, iban, us_ssn, passport_number };
std::string_view to_string(SensitiveKind kind); // "card_number", "iban", "us_ssn", "passport_number"

struct SensitiveMatch {
    SensitiveKind kind;
    std::size_t offset; // byte offset of the match in the input
    std::size_t length; // byte length (separators included)
    friend bool operator==(const SensitiveMatch&, const SensitiveMatch&) = default;
};

bool luhn_valid(std::string_view digits);     // digits only
bool iban_valid(std::string_view compact);    // upper-case, no spaces: country length + mod-97

// Card numbers: 13-19 digits (spaces or dashes between groups allowed), Luhn-valid, known issuer
// prefix (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro).
// IBANs: country code + check digits + BBAN, spaces allowed, length fixed per country, mod-97.
// SSNs: AAA-GG-SSSS (dashes or spaces), excluding area 000/666/9xx, group 00, serial 0000.
// Passport numbers: 6-9 alphanumerics within a few words after "passport" (or a translation).
std::vector<SensitiveMatch> find_sensitive(std::string_view text);

enum class SensitivePolicy { refuse, mask };

// Applies the policy: refuse -> validation_failed naming field and the kind found (never echoing
// the number); mask -> the text with each match's digits/letters replaced by '*' except the last 4.
Result<std::string> guard_sensitive(std::string_view field, std::string_view text, SensitivePolicy policy);

} // namespace stronghold::validate
