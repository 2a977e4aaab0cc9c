#include "app/pipeline_board.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold::web::app;

namespace {

Deal deal(std::string id, std::string stage, double value, std::string currency = "USD", std::int64_t version = 1) {
    Deal d;
    d.id = std::move(id);
    d.name = "Deal " + d.id;
    d.pipeline_id = "pl_1";
    d.stage_id = std::move(stage);
    d.value = value;
    d.has_value = true;
    d.currency = std::move(currency);
    d.version = version;
    return d;
}

struct Board {
    PipelineBoard board;
    Board() {
        board.set_pipelines({Pipeline{"pl_1", "Sales", {{"st_lead", "Lead"}, {"st_qual", "Qualified"}, {"st_won", "Won"}}, 1},
                             Pipeline{"pl_2", "Renewals", {{"st_r1", "Due"}}, 1}});
        board.set_deals(board.generation(), {deal("dl_a", "st_lead", 1000), deal("dl_b", "st_lead", 250.5, "EUR"),
                                             deal("dl_c", "st_lead", 500), deal("dl_d", "st_qual", 40, "GBP")});
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(pipeline_board_test)

BOOST_AUTO_TEST_CASE(CRM1_board_reads_the_wire_forms) {
    const auto pipes = pipelines_from_list(nlohmann::json::parse(
        R"({"items":[{"id":"pl_1","name":"Sales","version":3,"stages":[{"id":"st_1","name":"Lead"},{"id":"st_2","name":"Won"}]},{"name":"no id"}]})"));
    BOOST_REQUIRE_EQUAL(pipes.size(), 1u);
    BOOST_TEST(pipes[0].stages.size() == 2u);
    BOOST_TEST(pipes[0].stages[1].name == "Won");
    BOOST_TEST(pipes[0].version == 3);
    const auto d = deal_from_json(nlohmann::json::parse(
        R"({"id":"dl_1","name":"Bakery","pipeline_id":"pl_1","stage_id":"st_1","value":1200,"currency":"EUR","status":"won","version":4})"));
    BOOST_REQUIRE(d);
    BOOST_TEST(d->value == 1200);
    BOOST_TEST(d->has_value);
    BOOST_TEST(d->currency == "EUR");
    BOOST_TEST(d->version == 4);
    const auto no_value = deal_from_json(nlohmann::json::parse(R"({"id":"dl_2","value":null})"));
    BOOST_REQUIRE(no_value);
    BOOST_TEST(!no_value->has_value);
    BOOST_TEST(no_value->currency == "USD");
}

BOOST_AUTO_TEST_CASE(CRM1_default_pipeline_is_sales_with_five_stages) {
    const auto body = default_pipeline_body();
    BOOST_TEST(body["name"] == "Sales");
    BOOST_REQUIRE_EQUAL(body["stages"].size(), 5u);
    BOOST_TEST(body["stages"][0]["name"] == "Lead");
    BOOST_TEST(body["stages"][4]["name"] == "Lost");
    BOOST_TEST(!body["stages"][0].contains("id")); // the server mints stage ids
}

BOOST_FIXTURE_TEST_CASE(CRM1_columns_count_and_sum_per_currency, Board) {
    BOOST_TEST(board.column("st_lead").size() == 3u);
    const auto sums = board.sums("st_lead");
    BOOST_REQUIRE_EQUAL(sums.size(), 2u);
    BOOST_TEST(sums[0].currency == "EUR");
    BOOST_TEST(sums[0].total == 250.5);
    BOOST_TEST(sums[1].currency == "USD");
    BOOST_TEST(sums[1].total == 1500);
    BOOST_TEST(format_sums(sums) == "\xe2\x82\xac" "251 \xc2\xb7 $1,500");
    BOOST_TEST(board.sums("st_won").empty());
    BOOST_TEST(format_money(1234567, "CHF") == "1,234,567 CHF");
    BOOST_TEST(format_money(-5, "USD") == "-$5");
}

BOOST_FIXTURE_TEST_CASE(CRM1_a_deal_without_value_is_counted_not_summed, Board) {
    Deal d = deal("dl_e", "st_qual", 0);
    d.has_value = false;
    board.upsert(d);
    BOOST_TEST(board.column("st_qual").size() == 2u);
    BOOST_REQUIRE_EQUAL(board.sums("st_qual").size(), 1u);
    BOOST_TEST(board.sums("st_qual")[0].currency == "GBP");
}

BOOST_FIXTURE_TEST_CASE(CRM1_move_is_optimistic_and_sent_with_the_version, Board) {
    const auto mv = board.move("dl_a", "st_qual");
    BOOST_REQUIRE(mv);
    BOOST_TEST(mv->version == 1);
    BOOST_TEST(mv->from_stage == "st_lead");
    BOOST_TEST(board.find("dl_a")->stage_id == "st_qual"); // moved before any answer
    BOOST_TEST(board.sums("st_qual").size() == 2u);
    BOOST_TEST(board.moving("dl_a"));
    BOOST_TEST(!board.move("dl_a", "st_won")); // one move of a deal at a time
    Deal stored = deal("dl_a", "st_qual", 1000, "USD", 2);
    board.move_succeeded(*mv, stored);
    BOOST_TEST(!board.moving("dl_a"));
    BOOST_TEST(board.find("dl_a")->version == 2);
}

BOOST_FIXTURE_TEST_CASE(CRM1_move_to_the_same_or_an_unknown_stage_is_no_move, Board) {
    BOOST_TEST(!board.move("dl_a", "st_lead"));
    BOOST_TEST(!board.move("dl_a", "st_nowhere"));
    BOOST_TEST(!board.move("dl_zzz", "st_qual"));
}

BOOST_FIXTURE_TEST_CASE(CRM1_412_rolls_back_to_the_servers_current_deal, Board) {
    const auto mv = board.move("dl_a", "st_won");
    BOOST_REQUIRE(mv);
    // Someone else moved it to Qualified meanwhile: the 412's "current" wins.
    const std::string msg = board.move_failed(*mv, deal("dl_a", "st_qual", 1000, "USD", 3), "the record has changed");
    BOOST_TEST(board.find("dl_a")->stage_id == "st_qual");
    BOOST_TEST(board.find("dl_a")->version == 3);
    BOOST_TEST(!board.moving("dl_a"));
    BOOST_TEST(msg.find("Someone else") != std::string::npos);
    BOOST_TEST(msg.find("Qualified") != std::string::npos);
    BOOST_TEST(board.sums("st_won").empty());
}

BOOST_FIXTURE_TEST_CASE(CRM1_a_network_error_rolls_back_to_where_it_came_from, Board) {
    const auto mv = board.move("dl_d", "st_won");
    BOOST_REQUIRE(mv);
    const std::string msg = board.move_failed(*mv, std::nullopt, "The server cannot be reached.");
    BOOST_TEST(board.find("dl_d")->stage_id == "st_qual");
    BOOST_TEST(msg.find("back in Qualified") != std::string::npos);
    BOOST_TEST(board.move("dl_d", "st_won").has_value()); // may try again
}

BOOST_FIXTURE_TEST_CASE(CRM1_answers_after_a_pipeline_switch_are_dropped, Board) {
    const auto mv = board.move("dl_a", "st_qual");
    BOOST_REQUIRE(mv);
    const auto old_generation = board.generation();
    BOOST_TEST(board.select("pl_2"));
    board.set_deals(old_generation, {deal("dl_x", "st_lead", 1)}); // late answer for Sales
    BOOST_TEST(!board.deals_loaded());
    BOOST_TEST(board.move_failed(*mv, std::nullopt, "x").empty());
    BOOST_TEST(!board.find("dl_a"));
}

BOOST_FIXTURE_TEST_CASE(CRM1_live_copy_older_than_a_pending_move_does_not_undo_it, Board) {
    const auto mv = board.move("dl_a", "st_qual");
    BOOST_REQUIRE(mv);
    board.upsert(deal("dl_a", "st_lead", 1000, "USD", 1)); // a refetch that left before the PATCH
    BOOST_TEST(board.find("dl_a")->stage_id == "st_qual");
    board.upsert(deal("dl_b", "st_won", 250.5, "EUR", 2)); // other deals update as usual
    BOOST_TEST(board.find("dl_b")->stage_id == "st_won");
    board.upsert(deal("dl_b", "st_lead", 250.5, "EUR", 1)); // and never go back to an older version
    BOOST_TEST(board.find("dl_b")->stage_id == "st_won");
}

BOOST_FIXTURE_TEST_CASE(CRM1_a_deal_moved_to_another_pipeline_leaves_the_board, Board) {
    Deal d = deal("dl_c", "st_r1", 500, "USD", 2);
    d.pipeline_id = "pl_2";
    board.upsert(d);
    BOOST_TEST(!board.find("dl_c"));
    BOOST_TEST(board.column("st_lead").size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(CRM1_neighbour_stages_for_the_keyboard, Board) {
    BOOST_TEST(*board.neighbour_stage("st_lead", 1) == "st_qual");
    BOOST_TEST(!board.neighbour_stage("st_lead", -1));
    BOOST_TEST(!board.neighbour_stage("st_won", 1));
}

BOOST_AUTO_TEST_SUITE_END()
