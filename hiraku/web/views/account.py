"""Sign-in, sign-out and "My page" with API tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hiraku.accounts import services as token_services
from hiraku.accounts.models import ApiToken
from hiraku.catalog import permissions
from hiraku.catalog.errors import CatalogError
from hiraku.search.query import SearchQuery
from hiraku.search.selectors import dataset_search

from ..helpers import apply_errors


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=100,
        help_text=gettext_lazy("For example the name of the app or script that will use it."),
    )


class SignInView(auth_views.LoginView):
    """Sign-in. Model: User. Template: web/login.html. Context: form (AuthenticationForm), next."""

    template_name = "web/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign-out (POST only, as Django requires). Template: none (redirects home)."""


def _page(request: HttpRequest, form: TokenForm, new_token: str = "", status: int = 200):
    user = request.user
    tokens = ApiToken.objects.filter(user=user, revoked__isnull=True)
    mine = dataset_search(
        user=user,
        query=SearchQuery(
            filters={},
            sort="metadata_modified desc",
            rows=20,
            include_private=True,
            include_drafts=True,
        ),
    )
    return render(
        request,
        "web/user.html",
        {
            "form": form,
            "tokens": tokens,
            "new_token": new_token,
            "publishing_orgs": permissions.organizations_for_publishing(user),
            "datasets": [d for d in mine.datasets if permissions.can_edit_dataset(user, d)],
        },
        status=status,
    )


@login_required
def user_page(request: HttpRequest) -> HttpResponse:
    """My page. Models: ApiToken, Organization, Dataset. Template: web/user.html.
    Context: form (TokenForm), tokens (unrevoked), new_token (plain, only right after creating),
    publishing_orgs, datasets (recent ones the user may edit)."""
    return _page(request, TokenForm())


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Create an API token and show it once in this response (never stored in plain text).
    Model: ApiToken. Template: web/user.html. Context as user_page plus new_token."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        _token, plain = token_services.token_create(
            user=request.user, name=form.cleaned_data["name"]
        )
    except CatalogError as error:
        apply_errors(form, error)
        return _page(request, form, status=400)
    response = _page(request, TokenForm(), new_token=plain)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's tokens. Model: ApiToken. Redirects to My page."""
    try:
        token_services.token_revoke(user=request.user, token_id=token_id)
    except CatalogError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The token was revoked."))
    return redirect("web:user")
