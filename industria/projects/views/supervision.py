"""Workflow views over supervision orders and blockers: the unit replies, the officer closes, blockers resolve."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views import View

from industria.core.exceptions import DomainError
from industria.core.views.htmx import is_partial
from industria.projects import selectors, services
from industria.projects.forms import BlockerResolveForm, SupervisionReplyForm
from industria.projects.models import Blocker, KeyProject, SupervisionOrder


class ObjectAction(LoginRequiredMixin, View):
    """A form over a supervision order or a blocker the user can see."""

    form_class: Any = None
    title = ""

    def get_object(self, request: HttpRequest, pk: int) -> Any:
        raise NotImplementedError

    def act(self, obj: Any, form: Any) -> str:
        raise NotImplementedError

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(self.get_object(request, pk), self.form_class())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(request, pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                message = self.act(obj, form)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                if is_partial(request):
                    response = HttpResponse(format_html('<p class="alert alert-success" role="status">{}</p>', message))
                    response["HX-Trigger"] = "project-changed"
                    return response
                messages.success(request, message)
                return HttpResponseRedirect(obj.get_absolute_url())
        return self.render(obj, form, status=400)

    def render(self, obj: Any, form: Any, status: int = 200) -> HttpResponse:
        context = {"object": obj, "form": form, "title": self.title, "action_url": self.request.get_full_path()}
        template = (
            "projects/partials/_workflow_form.html" if is_partial(self.request) else "projects/workflow_form.html"
        )
        return render(self.request, template, context, status=status)


class SupervisionReplyView(ObjectAction):
    """The responsible unit answers (the service checks membership of the unit)."""

    form_class = SupervisionReplyForm

    def get_object(self, request: HttpRequest, pk: int) -> SupervisionOrder:
        self.title = _("Reply to the supervision order")
        return get_object_or_404(selectors.supervision_order_list(user=request.user), pk=pk)

    def act(self, obj: SupervisionOrder, form: Any) -> str:
        services.supervision_order_reply(
            actor=self.request.user,
            order=obj,
            text=form.cleaned_data["text"],
            expected_resolution_on=form.cleaned_data["expected_resolution_on"],
            today=timezone.localdate(),
        )
        return _("Reply sent.")


class SupervisionCloseView(ObjectAction):
    def form_class(self, data: Any = None) -> Any:  # type: ignore[override]
        from django import forms

        return forms.Form(data)

    def get_object(self, request: HttpRequest, pk: int) -> SupervisionOrder:
        self.title = _("Close the supervision order")
        if not request.user.has_perm("projects.change_supervisionorder"):
            raise PermissionDenied
        return get_object_or_404(SupervisionOrder.objects.for_user(request.user, "change"), pk=pk)

    def act(self, obj: SupervisionOrder, form: Any) -> str:
        services.supervision_order_close(actor=self.request.user, order=obj, today=timezone.localdate())
        return _("Supervision order closed.")


class BlockerResolveView(ObjectAction):
    form_class = BlockerResolveForm

    def get_object(self, request: HttpRequest, pk: int) -> Blocker:
        self.title = _("Resolve the blocker")
        return get_object_or_404(selectors.blocker_list(user=request.user), pk=pk)

    def act(self, obj: Blocker, form: Any) -> str:
        user = self.request.user
        may_change = (
            user.has_perm("projects.change_keyproject")
            and KeyProject.objects.for_user(user, "change").filter(pk=obj.project_id).exists()
        )
        services.blocker_resolve(
            actor=user,
            blocker=obj,
            resolution=form.cleaned_data["resolution"],
            today=timezone.localdate(),
            may_change_project=may_change,
        )
        return _("Blocker resolved.")
