"""The grantee portal (namespace "portal"). Every query starts from the organisations the person
is a member of (``member_organisations``): one organisation never sees another's rows, and an id
that is not theirs is a 404. The secretariat reads reports and workplans here too, and reviews
them; only members write."""

from organisations.selectors import member_organisations

from .home import portal_home

__all__ = ["member_organisations", "portal_home"]
