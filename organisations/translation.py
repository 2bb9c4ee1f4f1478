from core.translation import register_translated

from .models import Organisation

register_translated(Organisation, ("description",))
