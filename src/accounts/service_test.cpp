// The accounts use cases against a real database, on every backend.
#include "accounts/service.hpp"

#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "db/testing.hpp"

using namespace staffroom;
using namespace staffroom::accounts;

class Accounts : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!db::test_support::available(GetParam())) GTEST_SKIP() << "set STAFFROOM_TEST_PG to a PostgreSQL admin URL";
    crypto::set_password_cost({1, 8192});  // fast hashes; the algorithm is unchanged
    t_ = std::make_unique<db::test_support::TestDatabase>(GetParam());
    AccountsConfig cfg;
    cfg.public_url = "https://pd.example.org";
    svc_ = std::make_unique<AccountsService>(t_->db(), cfg);
  }
  void TearDown() override { crypto::set_password_cost(crypto::default_password_cost()); }

  Identity identity_of(const SignedIn& s) {
    auto id = svc_->authenticate_session(s.session_token);
    EXPECT_TRUE(id.ok() && id->has_value());
    return **id;
  }
  std::string reset_token_from_outbox() {
    auto mail = svc_->list_mail(0, 1);
    EXPECT_TRUE(mail.ok() && !mail->items.empty());
    const auto& body = mail->items.front().body;
    auto pos = body.find("token=");
    EXPECT_NE(pos, std::string::npos);
    auto end = body.find('\n', pos);
    return body.substr(pos + 6, end - pos - 6);
  }

  std::unique_ptr<db::test_support::TestDatabase> t_;
  std::unique_ptr<AccountsService> svc_;
};

TEST_P(Accounts, SignUpCreatesAnEducatorWithASession) {
  auto s = svc_->sign_up("Ada@School.org", "a long password", "Ada");
  ASSERT_TRUE(s.ok()) << s.error().detail;
  EXPECT_EQ(s->user.email, "ada@school.org");
  ASSERT_EQ(s->user.grants.size(), 1u);
  EXPECT_EQ(s->user.grants[0].role, "educator");
  auto id = identity_of(*s);
  EXPECT_EQ(id.user_id, s->user.id);
  EXPECT_TRUE(id.via_cookie);
  EXPECT_EQ(id.csrf_token, s->csrf_token);
}

TEST_P(Accounts, SignUpNamesEveryBadFieldAndRefusesDuplicates) {
  auto bad = svc_->sign_up("not-an-email", "short", "");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::Validation);
  ASSERT_EQ(bad.error().fields.size(), 3u);
  EXPECT_EQ(bad.error().fields[0].field, "email");
  EXPECT_EQ(bad.error().fields[1].field, "password");
  EXPECT_EQ(bad.error().fields[2].field, "display_name");
  ASSERT_TRUE(svc_->sign_up("ada@school.org", "a long password", "Ada").ok());
  auto dup = svc_->sign_up("ADA@school.org", "another password", "Ada 2");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::Conflict);
}

TEST_P(Accounts, SignInChecksThePasswordAndLimitsFailures) {
  ASSERT_TRUE(svc_->sign_up("ada@school.org", "a long password", "Ada").ok());
  EXPECT_TRUE(svc_->sign_in("ada@school.org", "a long password", "10.0.0.1").ok());
  auto wrong = svc_->sign_in("ada@school.org", "wrong password", "10.0.0.1");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::Unauthenticated);
  auto unknown = svc_->sign_in("nobody@school.org", "wrong password", "10.0.0.1");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().detail, wrong.error().detail) << "the answer must not reveal which emails exist";
  for (int i = 0; i < 4; ++i) (void)svc_->sign_in("ada@school.org", "wrong password", "10.0.0.2");
  auto limited = svc_->sign_in("ada@school.org", "a long password", "10.0.0.3");
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::RateLimited);
  EXPECT_GT(limited.error().retry_after_seconds, 0);
}

TEST_P(Accounts, SignOutEndsOnlyThatSession) {
  auto a = svc_->sign_up("ada@school.org", "a long password", "Ada");
  ASSERT_TRUE(a.ok());
  auto b = svc_->sign_in("ada@school.org", "a long password", "10.0.0.1");
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(svc_->sign_out(identity_of(*a)).ok());
  EXPECT_FALSE(svc_->authenticate_session(a->session_token)->has_value());
  EXPECT_TRUE(svc_->authenticate_session(b->session_token)->has_value());
}

TEST_P(Accounts, ExpiredSessionsAreRefusedAndCleanedAtTheNextSignIn) {
  AccountsConfig short_lived;
  short_lived.session_ttl = std::chrono::hours(0);
  AccountsService svc(t_->db(), short_lived);
  auto a = svc.sign_up("ada@school.org", "a long password", "Ada");
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(svc.authenticate_session(a->session_token)->has_value()) << "an expired session is refused";
  ASSERT_TRUE(svc.sign_in("ada@school.org", "a long password", "10.0.0.1").ok());
  auto count = t_->db().query({"SELECT COUNT(*) FROM sessions"});
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->front().int64(0), 1) << "the expired session was removed when a new one began";
}

TEST_P(Accounts, ChangingThePasswordEndsOtherSessions) {
  auto a = svc_->sign_up("ada@school.org", "a long password", "Ada");
  auto b = svc_->sign_in("ada@school.org", "a long password", "10.0.0.1");
  ASSERT_TRUE(a.ok() && b.ok());
  auto wrong = svc_->change_password(identity_of(*a), "not it at all", "a newer password");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().fields.at(0).field, "current_password");
  ASSERT_TRUE(svc_->change_password(identity_of(*a), "a long password", "a newer password").ok());
  EXPECT_TRUE(svc_->authenticate_session(a->session_token)->has_value());
  EXPECT_FALSE(svc_->authenticate_session(b->session_token)->has_value());
  EXPECT_TRUE(svc_->sign_in("ada@school.org", "a newer password", "10.0.0.1").ok());
}

TEST_P(Accounts, ApiTokensAuthenticateUntilRevoked) {
  auto a = svc_->sign_up("ada@school.org", "a long password", "Ada");
  auto b = svc_->sign_up("bob@school.org", "a long password", "Bob");
  ASSERT_TRUE(a.ok() && b.ok());
  auto t = svc_->create_token(identity_of(*a), "grading script");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->secret.starts_with("srp_"));
  auto who = svc_->authenticate_token(t->secret);
  ASSERT_TRUE(who.ok() && who->has_value());
  EXPECT_EQ((*who)->user_id, a->user.id);
  EXPECT_FALSE((*who)->via_cookie);
  auto list = svc_->list_tokens(identity_of(*a), 0, 20);
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_TRUE(list->items[0].last_used_at.has_value());
  auto stolen = svc_->revoke_token(identity_of(*b), t->token.id);
  ASSERT_FALSE(stolen.ok());
  EXPECT_EQ(stolen.error().code, ErrorCode::NotFound);
  ASSERT_TRUE(svc_->revoke_token(identity_of(*a), t->token.id).ok());
  EXPECT_FALSE(svc_->authenticate_token(t->secret)->has_value());
  EXPECT_TRUE(svc_->list_tokens(identity_of(*a), 0, 20)->items.empty());
}

TEST_P(Accounts, TokenListsPageWithACursor) {
  auto a = svc_->sign_up("ada@school.org", "a long password", "Ada");
  ASSERT_TRUE(a.ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(svc_->create_token(identity_of(*a), "t" + std::to_string(i)).ok());
  auto p1 = svc_->list_tokens(identity_of(*a), 0, 2);
  ASSERT_EQ(p1->items.size(), 2u);
  ASSERT_TRUE(p1->next_after);
  auto p2 = svc_->list_tokens(identity_of(*a), *p1->next_after, 2);
  auto p3 = svc_->list_tokens(identity_of(*a), *p2->next_after, 2);
  ASSERT_EQ(p3->items.size(), 1u);
  EXPECT_FALSE(p3->next_after);
  EXPECT_EQ(p3->items[0].name, "t4");
}

TEST_P(Accounts, PasswordResetWorksOnceAndRevealsNothing) {
  ASSERT_TRUE(svc_->sign_up("ada@school.org", "a long password", "Ada").ok());
  // Sign-up mailed the confirmation link; a reset for an unknown address
  // sends nothing.
  ASSERT_EQ(svc_->list_mail(0, 10)->items.size(), 1u);
  ASSERT_TRUE(svc_->request_password_reset("nobody@school.org", "10.0.0.1").ok());
  EXPECT_EQ(svc_->list_mail(0, 10)->items.size(), 1u);
  ASSERT_TRUE(svc_->request_password_reset("ADA@school.org", "10.0.0.1").ok());
  auto mail = svc_->list_mail(0, 10);
  ASSERT_EQ(mail->items.size(), 2u);
  EXPECT_EQ(mail->items[0].recipient, "ada@school.org");
  EXPECT_NE(mail->items[0].body.find("https://pd.example.org/reset-password?token="), std::string::npos);
  const auto token = reset_token_from_outbox();
  ASSERT_TRUE(svc_->confirm_password_reset(token, "a brand new password").ok());
  auto reused = svc_->confirm_password_reset(token, "yet another password");
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().code, ErrorCode::BadRequest);
  EXPECT_TRUE(svc_->sign_in("ada@school.org", "a brand new password", "10.0.0.1").ok());
}

TEST_P(Accounts, ConfirmingAnAddressVerifiesItsIdentitiesOnce) {
  std::vector<std::string> linked;
  svc_->on_identity_verified([&](db::Connection&, std::int64_t, const std::vector<std::string>& people) -> Status {
    linked = people;
    return {};
  });
  auto a = svc_->sign_up("Grace@School.org", "a long password", "Grace");
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(*svc_->email_verified_at(a->user.id));
  auto mail = svc_->list_mail(0, 10);
  ASSERT_EQ(mail->items.size(), 1u);
  const std::string& body = mail->items[0].body;
  const auto at = body.find("/verify-email?token=");
  ASSERT_NE(at, std::string::npos) << body;
  const std::string token = body.substr(at + 20, body.find_first_of(" \n", at) - at - 20);
  auto confirmed = svc_->confirm_email(token);
  ASSERT_TRUE(confirmed.ok()) << confirmed.error().detail;
  EXPECT_EQ(*confirmed, "grace@school.org");
  EXPECT_TRUE(*svc_->email_verified_at(a->user.id));
  // The listener hears the address and its sha1 key (mbox_sha1sum).
  ASSERT_EQ(linked.size(), 2u);
  EXPECT_EQ(linked[0], "grace@school.org");
  EXPECT_EQ(linked[1], "sha1:" + crypto::sha1_hex("mailto:grace@school.org"));
  EXPECT_EQ(identities_of_email("grace@school.org")[0], "mbox:mailto:grace@school.org");
  EXPECT_EQ(svc_->confirm_email(token).error().code, ErrorCode::BadRequest);
  EXPECT_EQ(svc_->confirm_email("").error().code, ErrorCode::Validation);
  // Asking again once confirmed is a conflict, and sends nothing.
  auto who = svc_->authenticate_session(a->session_token);
  ASSERT_TRUE(who.ok() && who->has_value());
  EXPECT_EQ(svc_->send_email_verification(**who, "10.0.0.9").error().code, ErrorCode::Conflict);
  EXPECT_EQ(svc_->list_mail(0, 10)->items.size(), 1u);
}

TEST_P(Accounts, ResetEndsSessionsTokensAndOtherLinks) {
  auto a = svc_->sign_up("ada@school.org", "a long password", "Ada");
  ASSERT_TRUE(a.ok());
  auto t = svc_->create_token(identity_of(*a), "script");
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(svc_->request_password_reset("ada@school.org", "10.0.0.1").ok());
  const auto older = reset_token_from_outbox();
  ASSERT_TRUE(svc_->request_password_reset("ada@school.org", "10.0.0.1").ok());
  const auto newer = reset_token_from_outbox();
  ASSERT_NE(older, newer);
  ASSERT_TRUE(svc_->confirm_password_reset(newer, "a brand new password").ok());
  EXPECT_FALSE(svc_->authenticate_session(a->session_token)->has_value());
  EXPECT_FALSE(svc_->authenticate_token(t->secret)->has_value());
  EXPECT_FALSE(svc_->confirm_password_reset(older, "yet another password").ok());
}

TEST_P(Accounts, ResetRequestsAreLimitedWhetherOrNotTheAccountExists) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(svc_->request_password_reset("nobody@school.org", "10.0.0.9").ok());
  auto limited = svc_->request_password_reset("nobody@school.org", "10.0.0.9");
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::RateLimited);
}

TEST_P(Accounts, WrongCurrentPasswordsAreLimited) {
  auto a = svc_->sign_up("ada@school.org", "a long password", "Ada");
  ASSERT_TRUE(a.ok());
  for (int i = 0; i < 5; ++i)
    (void)svc_->change_password(identity_of(*a), "guess number " + std::to_string(i), "a newer password");
  auto limited = svc_->change_password(identity_of(*a), "a long password", "a newer password");
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::RateLimited);
}

TEST_P(Accounts, SignInRefusesMalformedEmailsBeforeCounting) {
  auto bad = svc_->sign_in(std::string("ada@school.org\0x", 16), "whatever pass", "10.0.0.1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::Validation);
}

TEST_P(Accounts, RolesAreGrantedCheckedAndRevoked) {
  auto a = svc_->sign_up("ada@school.org", "a long password", "Ada");
  ASSERT_TRUE(a.ok());
  auto g = svc_->grant_role(a->user.id, "org_staff", "organization", "iste");
  ASSERT_TRUE(g.ok()) << g.error().detail;
  auto again = svc_->grant_role(a->user.id, "org_staff", "organization", "iste");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::Conflict);
  EXPECT_EQ(svc_->grant_role(999999, "site_admin", "", "").error().code, ErrorCode::NotFound);
  auto id = identity_of(*a);
  EXPECT_TRUE(id.has_scoped_role("org_staff", "organization", "iste"));
  ASSERT_TRUE(svc_->revoke_grant(a->user.id, g->id).ok());
  EXPECT_FALSE(identity_of(*a).has_role("org_staff"));
  EXPECT_EQ(svc_->revoke_grant(a->user.id, g->id).error().code, ErrorCode::NotFound);
}

TEST_P(Accounts, AdminCreateIsIdempotentAndGeneratesAPassword) {
  auto first = svc_->create_with_role("root@school.org", "", std::nullopt, "site_admin", "", "");
  ASSERT_TRUE(first.ok()) << first.error().detail;
  ASSERT_TRUE(first->generated_password);
  EXPECT_TRUE(svc_->sign_in("root@school.org", *first->generated_password, "10.0.0.1").ok());
  auto second = svc_->create_with_role("root@school.org", "", std::nullopt, "site_admin", "", "");
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->generated_password) << "an existing account keeps its password";
  EXPECT_EQ(second->user.grants.size(), 2u);  // educator + site_admin, not duplicated
}

INSTANTIATE_TEST_SUITE_P(Backends, Accounts, ::testing::ValuesIn(db::test_support::backends()),
                         [](const auto& p) { return p.param; });
