"""The organisation's sign-in rules and the rate-limit verdicts, without a database."""

from pwa.limits import Limit, Limits, Verdict
from pwa.records import SignInPolicy
from pwa.sign_in_config import SignInConfig


def test_only_leads_and_admins_need_more_than_a_password_and_only_when_the_organisation_says_so():
    strict = SignInPolicy(strong_for_leads=True)
    assert strict.wants_strong(("lead",)) and strict.wants_strong(("staff", "admin"))
    assert not strict.wants_strong(("staff", "secretary"))
    assert not SignInPolicy().wants_strong(("admin",))


def test_two_limits_together_allow_only_if_both_do_and_wait_for_the_longer():
    allowed = Verdict(allowed=True, hit_ids=(1,))
    full = Verdict(allowed=False, retry_after=42)
    assert (allowed & Verdict(allowed=True, hit_ids=(2,))) == Verdict(allowed=True, hit_ids=(1, 2))
    both = allowed & full
    assert not both.allowed and both.retry_after == 42 and both.hit_ids == (1,)


def test_the_identity_provider_is_configured_by_environment_with_all_three_values():
    config = SignInConfig.from_env(
        {
            "SECPOOL_OIDC_ISSUER": "https://login.microsoftonline.com/t/v2.0",
            "SECPOOL_OIDC_CLIENT_ID": "c",
            "SECPOOL_OIDC_CLIENT_SECRET": "s",
            "SECPOOL_PUBLIC_URL": "https://pool.example.org/",
        }
    )
    assert config.oidc is not None and config.oidc.issuer == "https://login.microsoftonline.com/t/v2.0"
    assert config.public_url == "https://pool.example.org"
    assert SignInConfig.from_env({}).oidc is None


def test_the_limits_are_ten_wrong_tries_a_minute_per_account_unless_the_environment_raises_them():
    assert Limits.from_env({}).sign_in_account == Limit(name="sign-in-account", tries=10, seconds=60)
    raised = Limits.from_env({"SECPOOL_SIGN_IN_TRIES": "1000", "SECPOOL_KUDOS_PER_MINUTE": "500"})
    assert raised.sign_in_account.tries == 1000 and raised.kudos.tries == 500 and raised.kudos.seconds == 60
