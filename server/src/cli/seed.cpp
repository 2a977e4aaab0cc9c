// Demo data. The name lists mix cultures on purpose (accented Latin, Greek, Cyrillic: the
// scripts the dashboard's Inter font covers), so sorting, search and rendering meet real text.
//
// [SECTION] Data
// [SECTION] Generators
// [SECTION] Seeding
#include "cli/seed.hpp"


#include <algorithm>
#include <array>
#include <span>
#include <string_view>

namespace stronghold::server {

namespace {

// [SECTION] Data

struct Name {
    std::string_view text;  // as shown
    std::string_view ascii; // for email addresses
};

struct Culture {
    std::string_view phone_prefix; // E.164 country code plus a mobile prefix
    int phone_digits;              // random digits after the prefix
    std::span<const Name> first;
    std::span<const Name> last;
    std::string_view local_mail; // a popular mailbox provider in that country
};

constexpr Name k_en_first[] = {{"James", "james"}, {"Mary", "mary"},     {"Olivia", "olivia"}, {"Ethan", "ethan"},
                               {"Ava", "ava"},     {"Noah", "noah"},     {"Emma", "emma"},     {"Liam", "liam"},
                               {"Sophia", "sophia"}, {"Mason", "mason"}, {"Harper", "harper"}, {"Caleb", "caleb"}};
constexpr Name k_en_last[] = {{"Smith", "smith"},     {"Johnson", "johnson"}, {"Williams", "williams"},
                              {"Brown", "brown"},     {"Miller", "miller"},   {"Davis", "davis"},
                              {"Wilson", "wilson"},   {"Taylor", "taylor"},   {"Anderson", "anderson"},
                              {"O'Neill", "oneill"}, {"Clarke", "clarke"},   {"Hughes", "hughes"}};
constexpr Name k_fr_first[] = {{"Élodie", "elodie"}, {"François", "francois"}, {"Camille", "camille"},
                               {"Léa", "lea"},       {"Hugo", "hugo"},         {"Chloé", "chloe"},
                               {"Maël", "mael"},     {"Inès", "ines"}};
constexpr Name k_fr_last[] = {{"Dubois", "dubois"}, {"Lefèvre", "lefevre"},   {"Moreau", "moreau"},
                              {"Girard", "girard"}, {"Rousseau", "rousseau"}, {"Bélanger", "belanger"}};
constexpr Name k_de_first[] = {{"Jürgen", "juergen"}, {"Lena", "lena"},   {"Lukas", "lukas"},
                               {"Anna", "anna"},      {"Maximilian", "maximilian"}, {"Sophie", "sophie"}};
constexpr Name k_de_last[] = {{"Müller", "mueller"}, {"Schröder", "schroeder"}, {"Weiß", "weiss"},
                              {"Becker", "becker"},  {"Hoffmann", "hoffmann"},  {"Köhler", "koehler"}};
constexpr Name k_es_first[] = {{"José", "jose"},     {"María", "maria"},   {"Lucía", "lucia"},
                               {"Javier", "javier"}, {"Sofía", "sofia"},   {"Álvaro", "alvaro"}};
constexpr Name k_es_last[] = {{"García", "garcia"},     {"Fernández", "fernandez"}, {"López", "lopez"},
                              {"Martínez", "martinez"}, {"Sánchez", "sanchez"},     {"Núñez", "nunez"}};
constexpr Name k_nordic_first[] = {{"Björn", "bjorn"}, {"Åsa", "asa"}, {"Søren", "soren"}, {"Ingrid", "ingrid"},
                                   {"Linnéa", "linnea"}};
constexpr Name k_nordic_last[] = {{"Lindqvist", "lindqvist"}, {"Åkesson", "akesson"}, {"Sørensen", "sorensen"},
                                  {"Johansson", "johansson"}, {"Nyström", "nystrom"}};
constexpr Name k_pl_first[] = {{"Łukasz", "lukasz"}, {"Małgorzata", "malgorzata"}, {"Zofia", "zofia"},
                               {"Wojciech", "wojciech"}, {"Agnieszka", "agnieszka"}};
constexpr Name k_pl_last[] = {{"Kowalski", "kowalski"}, {"Wiśniewska", "wisniewska"}, {"Zieliński", "zielinski"},
                              {"Wójcik", "wojcik"}, {"Dąbrowska", "dabrowska"}};
constexpr Name k_pt_first[] = {{"João", "joao"}, {"Ana", "ana"}, {"Gabriel", "gabriel"}, {"Beatriz", "beatriz"},
                               {"Luís", "luis"}};
constexpr Name k_pt_last[] = {{"Silva", "silva"}, {"Santos", "santos"}, {"Oliveira", "oliveira"},
                              {"Gonçalves", "goncalves"}, {"Araújo", "araujo"}};
constexpr Name k_gr_first[] = {{"Γιώργος", "giorgos"}, {"Ελένη", "eleni"}, {"Νίκος", "nikos"},
                               {"Μαρία", "maria"},     {"Δημήτρης", "dimitris"}};
constexpr Name k_gr_last[] = {{"Παπαδόπουλος", "papadopoulos"}, {"Οικονόμου", "oikonomou"},
                              {"Γεωργίου", "georgiou"},         {"Νικολάου", "nikolaou"}};
constexpr Name k_ru_first[] = {{"Иван", "ivan"},   {"Ольга", "olga"},   {"Дмитрий", "dmitry"},
                               {"Анна", "anna"},   {"Сергей", "sergey"}, {"Наталья", "natalya"}};
constexpr Name k_ru_last[] = {{"Петров", "petrov"},     {"Смирнов", "smirnov"}, {"Кузнецов", "kuznetsov"},
                              {"Волков", "volkov"},     {"Соколов", "sokolov"}};
constexpr Name k_ng_first[] = {{"Chinedu", "chinedu"}, {"Ngozi", "ngozi"}, {"Oluwaseun", "oluwaseun"},
                               {"Adaeze", "adaeze"},   {"Emeka", "emeka"}};
constexpr Name k_ng_last[] = {{"Okafor", "okafor"}, {"Adeyemi", "adeyemi"}, {"Eze", "eze"}, {"Balogun", "balogun"}};
constexpr Name k_in_first[] = {{"Priya", "priya"}, {"Arjun", "arjun"}, {"Ananya", "ananya"}, {"Rohan", "rohan"},
                               {"Kavya", "kavya"}};
constexpr Name k_in_last[] = {{"Sharma", "sharma"}, {"Patel", "patel"}, {"Iyer", "iyer"}, {"Reddy", "reddy"},
                              {"Gupta", "gupta"}};

// Weighted by repetition: English-speaking contacts are the most common, as for most agencies.
constexpr Culture k_cultures[] = {
    {"+1", 10, k_en_first, k_en_last, "gmail.com"},          {"+1", 10, k_en_first, k_en_last, "outlook.com"},
    {"+447", 9, k_en_first, k_en_last, "btinternet.com"},    {"+336", 8, k_fr_first, k_fr_last, "orange.fr"},
    {"+4915", 9, k_de_first, k_de_last, "gmx.de"},           {"+346", 8, k_es_first, k_es_last, "telefonica.net"},
    {"+467", 8, k_nordic_first, k_nordic_last, "telia.com"}, {"+485", 8, k_pl_first, k_pl_last, "wp.pl"},
    {"+55119", 8, k_pt_first, k_pt_last, "uol.com.br"},      {"+3069", 8, k_gr_first, k_gr_last, "otenet.gr"},
    {"+79", 9, k_ru_first, k_ru_last, "yandex.ru"},          {"+23480", 8, k_ng_first, k_ng_last, "yahoo.com"},
    {"+919", 9, k_in_first, k_in_last, "rediffmail.com"},
};

struct Company {
    std::string_view name;
    std::string_view domain;
};
constexpr Company k_companies[] = {
    {"Acme Logistics", "acme-logistics.com"},   {"Blue Harbor Dental", "blueharbordental.com"},
    {"Kepler Analytics", "kepler-analytics.io"}, {"Maison Lumière", "maison-lumiere.fr"},
    {"Brauhaus Köhler GmbH", "brauhaus-koehler.de"}, {"Solaris Energía", "solaris-energia.es"},
    {"Fjord & Field", "fjordfield.se"},         {"Helios Travel", "heliostravel.gr"},
    {"Volga Timber", "volgatimber.ru"},         {"Lagos Fresh Foods", "lagosfresh.ng"},
    {"Ganges Textiles", "gangestextiles.in"},   {"Copperline Studio", "copperline.studio"},
    {"Pinecrest Realty", "pinecrestrealty.com"}, {"Vistula Software", "vistula.pl"},
    {"Rio Verde Café", "rioverdecafe.com.br"},  {"Brightpath Tutoring", "brightpath.co.uk"},
    {"Summit Roofing", "summitroofing.com"},    {"Oakridge Veterinary", "oakridgevet.com"},
    {"Nimbus Fitness", "nimbusfitness.com"},    {"Harbor & Pine Law", "harborpinelaw.com"},
};

constexpr std::string_view k_free_mail[] = {"gmail.com", "outlook.com", "proton.me", "icloud.com", "yahoo.com"};
constexpr std::string_view k_tags[] = {"lead", "customer", "vip", "newsletter", "partner", "trial", "churned"};

// [SECTION] Generators

std::uint64_t uniform(crypto::Random& rng, std::uint64_t n)
{
    std::array<std::uint8_t, 8> b{};
    rng.fill(b);
    std::uint64_t v = 0;
    for (auto x : b)
        v = (v << 8) | x;
    return n == 0 ? 0 : v % n; // the modulo bias is irrelevant for demo data
}

template <class T>
const T& pick(crypto::Random& rng, std::span<const T> items)
{
    return items[uniform(rng, items.size())];
}

std::string digits(crypto::Random& rng, int n)
{
    std::string out;
    for (int i = 0; i < n; ++i)
        out += static_cast<char>('0' + uniform(rng, 10));
    return out;
}

std::string phone(crypto::Random& rng, const Culture& c)
{
    if (c.phone_prefix == "+1") // NANP: area code and exchange never start with 0 or 1
        return "+1" + std::to_string(2 + uniform(rng, 8)) + digits(rng, 2) + std::to_string(2 + uniform(rng, 8)) +
               digits(rng, 6);
    return std::string(c.phone_prefix) + digits(rng, c.phone_digits);
}

model::Contact make_contact(crypto::Random& rng, crypto::Random& id_rng, model::UnixMillis now,
                            const std::string& owner_id)
{
    const Culture& culture = pick<Culture>(rng, k_cultures);
    const Name& first = pick<Name>(rng, culture.first);
    const Name& last = pick<Name>(rng, culture.last);
    model::Contact c;
    c.id = crypto::random_id("ct", id_rng);
    c.first_name = first.text;
    c.last_name = last.text;
    const bool has_company = uniform(rng, 4) != 0;
    const Company& company = pick<Company>(rng, k_companies);
    if (has_company)
        c.company_name = company.name;
    const std::string local = std::string(first.ascii) + "." + std::string(last.ascii);
    const std::string_view personal_domain =
        uniform(rng, 2) == 0 ? culture.local_mail : pick<std::string_view>(rng, k_free_mail);
    if (has_company) {
        c.emails.push_back(std::string(first.ascii.substr(0, 1)) + std::string(last.ascii) + "@" +
                           std::string(company.domain));
        if (uniform(rng, 3) == 0)
            c.emails.push_back(local + "@" + std::string(personal_domain));
    } else {
        c.emails.push_back(local + std::to_string(uniform(rng, 100)) + "@" + std::string(personal_domain));
    }
    c.phones.push_back(phone(rng, culture));
    if (uniform(rng, 5) == 0)
        c.phones.push_back(phone(rng, culture));
    for (int i = 0, n = static_cast<int>(uniform(rng, 3)); i < n; ++i) {
        const std::string tag(pick<std::string_view>(rng, k_tags));
        if (std::find(c.tags.begin(), c.tags.end(), tag) == c.tags.end())
            c.tags.push_back(tag);
    }
    c.owner_id = owner_id;
    constexpr model::UnixMillis k_year_ms = 365LL * 24 * 3600 * 1000;
    c.created_at = now - static_cast<model::UnixMillis>(uniform(rng, k_year_ms));
    c.updated_at = c.created_at + static_cast<model::UnixMillis>(uniform(rng, static_cast<std::uint64_t>(now - c.created_at) + 1));
    return c;
}

ActorRef system_actor()
{
    ActorRef a;
    a.type = "system";
    a.user_agent = "stronghold seed";
    return a;
}

} // namespace

std::string generate_password(crypto::Random& rng)
{
    constexpr std::string_view upper = "ABCDEFGHJKLMNPQRSTUVWXYZ"; // no I, O
    constexpr std::string_view lower = "abcdefghijkmnpqrstuvwxyz"; // no l, o
    constexpr std::string_view digit = "23456789";                 // no 0, 1
    const std::string all = std::string(upper) + std::string(lower) + std::string(digit);
    std::string pw;
    for (int group = 0; group < 4; ++group) {
        if (group > 0)
            pw += '-';
        for (int i = 0; i < 5; ++i)
            pw += all[uniform(rng, all.size())];
    }
    // One guaranteed character of each class, at random positions of different groups.
    pw[uniform(rng, 5)] = upper[uniform(rng, upper.size())];
    pw[6 + uniform(rng, 5)] = lower[uniform(rng, lower.size())];
    pw[12 + uniform(rng, 5)] = digit[uniform(rng, digit.size())];
    return pw;
}

// [SECTION] Seeding

Status seed_contacts(Store& store, const TenantScope& scope, std::size_t n, crypto::Random& data_rng,
                     model::UnixMillis now, const std::string& owner_id, crypto::Random& id_rng,
                     const std::function<void(std::size_t done)>& progress)
{
    constexpr std::size_t k_batch = 10'000; // bounds memory and the length of each write lock
    std::vector<model::Contact> batch;
    for (std::size_t done = 0; done < n;) {
        batch.clear();
        const std::size_t size = std::min(k_batch, n - done);
        for (std::size_t i = 0; i < size; ++i)
            batch.push_back(make_contact(data_rng, id_rng, now, owner_id));
        AuditEntry audit;
        audit.at = now;
        audit.actor = system_actor();
        audit.action = "contact.seed";
        if (auto st = store.create_contacts_bulk(scope, batch, audit); !st)
            return st;
        done += size;
        if (progress)
            progress(done);
    }
    return {};
}

Result<DemoLogin> seed_demo(Store& store, model::UnixMillis now, crypto::Random& secret_rng)
{
    DemoLogin login;
    login.email = k_demo_owner_email;
    login.password = generate_password(secret_rng);
    const std::string hash = crypto::password_hash(login.password);
    if (hash.empty())
        return api::make_error(api::ErrorCode::internal, "password hashing failed (out of memory?)");

    if (auto existing = store.find_credentials_by_email(k_demo_owner_email)) {
        login.user_id = existing->user.id;
        for (const auto& m : store.memberships_of(login.user_id))
            if (m.role == model::Role::agency_owner && !m.agency_id.empty())
                login.agency_id = m.agency_id;
        const auto accounts = store.accounts_of_agency(login.agency_id);
        if (login.agency_id.empty() || accounts.empty())
            return api::make_error(api::ErrorCode::internal, "the demo user exists without its demo agency");
        login.account_id = accounts.front().id;
        if (auto st = store.set_password_hash(login.user_id, hash, system_actor()); !st)
            return st.error();
    } else {
        model::Agency agency{crypto::random_id("ag", secret_rng), k_demo_agency_name, now};
        model::Account account{crypto::random_id("ac", secret_rng), agency.id, "Harborview Dental", "1", now};
        model::User owner{crypto::random_id("us", secret_rng), k_demo_owner_email, "Demo Owner", true, now};
        if (auto st = store.create_agency_with_owner(agency, account, owner, hash, system_actor()); !st)
            return st.error();
        login.agency_id = agency.id;
        login.account_id = account.id;
        login.user_id = owner.id;
        login.created = true;
    }

    // Contacts only into an empty sub-account: a restart must not pile up demo data.
    const TenantScope scope{login.agency_id, login.account_id};
    ContactQuery probe;
    probe.limit = 1;
    auto page = store.list_contacts(scope, probe);
    if (!page)
        return page.error();
    if (page->items.empty()) {
        crypto::SeededRandom data_rng(k_demo_data_seed);
        if (auto st = seed_contacts(store, scope, k_demo_contacts, data_rng, now, login.user_id, secret_rng); !st)
            return st.error();
    }
    return login;
}

} // namespace stronghold::server
