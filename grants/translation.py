from core.translation import register_translated

from .models import Initiative, LightDeclineReason, LineOfAction, PublicLineOfAction

register_translated(
    Initiative,
    ("title", "coverage_label", "summary", "description", "expected_results", "cover_caption"),
)
register_translated(LineOfAction, ("title", "description"))
register_translated(PublicLineOfAction, ("title", "description"))
register_translated(LightDeclineReason, ("text",))
