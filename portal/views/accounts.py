"""Everyone's account: log in with an email address, reset a forgotten password, accept an
invitation to an organisation, the profile (name and language)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import DomainError
from organisations import services
from organisations.forms import EmailAuthenticationForm
from organisations.models import Invitation

from ..forms.accounts import InvitationAcceptForm, ProfileForm


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page, answering 404 when the link is not (or no longer) valid."""

    def render_to_response(self, context, **response_kwargs):
        if not getattr(self, "validlink", False):
            response_kwargs["status"] = 404
        return super().render_to_response(context, **response_kwargs)


class EmailLoginView(LoginView):
    """Log in with an email address; land on the portal in the person's own language."""

    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True
    template_name = "portal/accounts/login.html"

    def get_default_redirect_url(self):
        with translation.override(self.request.user.language):
            return reverse("portal:home")


def invitation_accept(request, token: str):
    """The link of an invitation email: choose a name, language and password, and join."""
    invitation = Invitation.objects.filter(token=token).select_related("organisation").first()
    if invitation is None:
        raise Http404
    problem = None
    if invitation.accepted_at is not None:
        problem = _("This invitation has already been used.")
    elif invitation.is_expired:
        problem = _("This invitation has expired. Ask the person who invited you for a new one.")
    logged_in = request.user.is_authenticated
    if logged_in and request.user.email.lower() != invitation.email.lower():
        # Someone else's invitation: say nothing of it (whom, which organisation) to this
        # account, but say what to do if the link is really theirs.
        return render(request, "portal/accounts/invitation_elsewhere.html", status=404)
    form = None
    if problem is None and not logged_in:
        form = InvitationAcceptForm(
            request.POST or None,
            email=invitation.email,
            initial={"language": invitation.language},
        )
    if request.method == "POST" and problem is None and (logged_in or form.is_valid()):
        try:
            user = services.invitation_accept(
                invitation=invitation,
                user=request.user if logged_in else None,
                full_name="" if logged_in else form.cleaned_data["full_name"],
                password=None if logged_in else form.cleaned_data["password1"],
                language=(request.user.language if logged_in else form.cleaned_data["language"]),
            )
        except DomainError as error:
            problem = error.message
        else:
            if not logged_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            with translation.override(user.language):
                messages.success(
                    request,
                    _("Welcome! You are now a member of %(organisation)s.")
                    % {"organisation": invitation.organisation.name},
                )
                return redirect(reverse("portal:home"))
    return render(
        request,
        "portal/accounts/invitation.html",
        {"invitation": invitation, "form": form, "problem": problem, "logged_in": logged_in},
        status=410 if problem else 200,
    )


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        with translation.override(user.language):
            messages.success(request, _("Your profile was saved."))
            return redirect(reverse("accounts:profile"))
    return render(request, "portal/accounts/profile.html", {"form": form})
