"""The pwa's pages, one module per area; `PAGES` is what pwa.app registers."""

from pwa.views.admin_import import AdminImport
from pwa.views.admin_mail import AdminMail
from pwa.views.admin_people import AdminPeople
from pwa.views.admin_security import AdminSecurityPages
from pwa.views.api_keys import ApiKeyPages
from pwa.views.auth import AuthController
from pwa.views.calendar import CalendarPages
from pwa.views.files import FilePages
from pwa.views.first_run import FirstRunPages
from pwa.views.growth import GrowthPages
from pwa.views.lead import LeadPages
from pwa.views.notifications import NotificationPages
from pwa.views.offers import OfferPages
from pwa.views.oidc_pages import OidcPages
from pwa.views.passkey_pages import PasskeyPages
from pwa.views.policy import PolicyPages
from pwa.views.pool import PoolPages
from pwa.views.pools import PoolPagesAdmin
from pwa.views.privacy_pages import PrivacyPages
from pwa.views.recurring import RecurringPages
from pwa.views.request_edit import RequestEditPages
from pwa.views.request_page import RequestPage
from pwa.views.requests import RequestPages
from pwa.views.rota import RotaPages
from pwa.views.search import SearchPages
from pwa.views.second_factor import SecondFactorPages
from pwa.views.security import SecurityPages
from pwa.views.settings import SettingsPages
from pwa.views.shell import ShellController
from pwa.views.values import ValuePages
from pwa.views.wall import Moderation, WallPages

PAGES = [
    SecondFactorPages,
    PasskeyPages,
    SecurityPages,
    AdminSecurityPages,
    ApiKeyPages,
    OidcPages,
    PrivacyPages,
    AuthController,
    ShellController,
    RequestPages,
    RequestPage,
    FilePages,
    NotificationPages,
    RecurringPages,
    CalendarPages,
    RequestEditPages,
    SearchPages,
    OfferPages,
    PoolPages,
    PolicyPages,
    GrowthPages,
    LeadPages,
    WallPages,
    Moderation,
    SettingsPages,
    FirstRunPages,
    AdminPeople,
    AdminImport,
    AdminMail,
    PoolPagesAdmin,
    RotaPages,
    ValuePages,
]
