"""Every table of every feature, in one metadata: what Alembic compares the database with and
what ``db rotate-key`` re-encrypts. ``bot.storage`` knows only its own tables; the features
register theirs on the same ``Base`` when imported here."""

from bot.admin import models as admin  # noqa: F401
from bot.cases import models as cases  # noqa: F401
from bot.consultations import models as consultations  # noqa: F401
from bot.knowledge import models as knowledge  # noqa: F401
from bot.network import models as network  # noqa: F401
from bot.notices import models as notices  # noqa: F401
from bot.outreach import models as outreach  # noqa: F401
from bot.safety import models as safety  # noqa: F401
from bot.scheduler import models as clock  # noqa: F401
from bot.storage.models import Base

metadata = Base.metadata
