"""UI of the evaluation programmes: rule sets, rounds, results, objections, what-if, benefit without applying.

Lists are the generic views (filters, pagination, csv/xlsx export); workflows call one service each and answer
with a redirect (or an HTMX fragment).  Every queryset comes through ``for_user``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from industria.core.exceptions import DomainError
from industria.core.exports import export_csv, export_filename, export_xlsx
from industria.core.pagination import CappedPaginator as Paginator
from industria.core.services import job_live_progress
from industria.core.views.generic import Column, ObjectListView, object_history
from industria.core.views.htmx import is_partial
from industria.engines.common.parsing import RulesError

from . import forms, rulesets, selectors, services, spreadsheet
from .filtersets import AssessmentFilterSet, ObjectionFilterSet, RoundFilterSet, RuleSetFilterSet
from .models import (
    EvaluationRound,
    Objection,
    ObjectionStatus,
    RoundStatus,
    RuleSet,
)


def _need(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(f"evaluations.{perm}"):
        raise PermissionDenied


def _lang() -> str:
    return get_language() or "zh-hans"


class TextColumn(Column):
    def value(self, obj: Any) -> Any:
        value = super().value(obj)
        return None if value is None else str(value)


# --------------------------------------------------------------------------------------------- rule sets


class RuleSetListView(ObjectListView):
    model = RuleSet
    filterset_class = RuleSetFilterSet
    title = gettext_lazy("Rule sets")
    export_stem = "rulesets"
    create_url_name = "evaluations:ruleset_add"
    columns = [
        Column("code", gettext_lazy("Code"), link=True),
        Column("version", gettext_lazy("Version")),
        Column("title", gettext_lazy("Title")),
        Column("programme", gettext_lazy("Programme")),
        Column("status", gettext_lazy("Status")),
        Column("effective_from", gettext_lazy("Effective from")),
        Column("effective_to", gettext_lazy("Effective to")),
        Column("document_no", gettext_lazy("Document number")),
        Column("source_tag", gettext_lazy("Confidence")),
    ]


class RuleSetDetailView(LoginRequiredMixin, View):
    """A rule set: metadata, every item with its evidence tag (M/U marked), rounds using it, history."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        ruleset = get_object_or_404(selectors.ruleset_list(user=request.user), pk=pk)
        tab = request.GET.get("tab", "overview")
        context: dict[str, Any] = {
            "object": ruleset,
            "tab": tab,
            "items": selectors.ruleset_items(ruleset, _lang()),
            "document": rulesets.dump_document(ruleset.parameters),
            "rounds": ruleset.rounds.all()[:50],
            "can_change": request.user.has_perm("evaluations.change_ruleset"),
            "versions": RuleSet.objects.filter(code=ruleset.code).order_by("-created_at"),
        }
        if tab == "history":
            context["changes"] = object_history(ruleset)
        return render(request, "evaluations/ruleset_detail.html", context)


class RuleSetEditView(LoginRequiredMixin, View):
    """The draft editor: a draft is changed in place; an active or retired rule set gets a new draft version."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            _need(request, "change_ruleset" if kwargs.get("pk") else "add_ruleset")
        return super().dispatch(request, *args, **kwargs)

    def _object(self, pk: int | None) -> RuleSet | None:
        return get_object_or_404(RuleSet, pk=pk) if pk else None

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        ruleset = self._object(pk)
        if ruleset is not None:
            text = rulesets.dump_document(ruleset.parameters)
        else:
            source = request.GET.get("from") or rulesets.builtin_codes()[0]
            try:
                text = rulesets.dump_document(rulesets.builtin_document(source))
            except rulesets.RuleSetNotFound as exc:
                raise Http404 from exc
        return self._render(ruleset, forms.RuleSetEditorForm(initial={"document": text}))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        ruleset = self._object(pk)
        form = forms.RuleSetEditorForm(request.POST)
        if form.is_valid():
            document = form.cleaned_data["document"]
            try:
                if ruleset is None:
                    saved = services.ruleset_create(actor=request.user, document=document)
                elif ruleset.is_draft:
                    saved = services.ruleset_update(actor=request.user, ruleset=ruleset, document=document)
                else:
                    saved = services.ruleset_new_version(actor=request.user, ruleset=ruleset, document=document)
            except DomainError as exc:
                form.add_error("document", str(exc))
            else:
                messages.success(request, _("Saved %(object)s.") % {"object": saved})
                return HttpResponseRedirect(saved.get_absolute_url())
        return self._render(ruleset, form, status=400)

    def _render(self, ruleset: RuleSet | None, form: Any, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "evaluations/ruleset_edit.html",
            {
                "object": ruleset,
                "form": form,
                "new_version": ruleset is not None and not ruleset.is_draft,
                "builtins": rulesets.builtin_codes(),
            },
            status=status,
        )


class RuleSetActivateView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        _need(request, "change_ruleset")
        ruleset = get_object_or_404(RuleSet, pk=pk)
        try:
            services.ruleset_activate(actor=request.user, ruleset=ruleset)
            messages.success(request, _("%(object)s is now active.") % {"object": ruleset})
        except DomainError as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(ruleset.get_absolute_url())


class RuleSetTemplateView(LoginRequiredMixin, View):
    """The rule set's spreadsheet template (its columns as a csv header)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        ruleset = get_object_or_404(selectors.ruleset_list(user=request.user), pk=pk)
        _engine, rules = rulesets.parse(ruleset.parameters)
        response = HttpResponse(spreadsheet.template_csv(rules), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{ruleset.code}-{ruleset.version}-template.csv"'
        return response


class RuleSetCompareView(LoginRequiredMixin, View):
    """What-if: this rule set against a round's results on the same population (matrix and who moves)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        candidate = get_object_or_404(selectors.ruleset_list(user=request.user), pk=pk)
        rounds = selectors.round_list(user=request.user).filter(
            programme=candidate.programme, status__in=[RoundStatus.EVALUATED, RoundStatus.WINDOW, RoundStatus.PUBLISHED]
        )
        form = forms.CompareForm(request.GET or None, rounds=rounds)
        context: dict[str, Any] = {"object": candidate, "form": form}
        if form.is_valid():
            round_ = form.cleaned_data["round"]
            try:
                comparison = services.whatif_compare(round_=round_, candidate=candidate)
            except (DomainError, RulesError) as exc:
                form.add_error(None, str(exc))
            else:
                moves = comparison["moves"]
                headers = [_("Credit code"), _("Name"), _("Before"), _("After"), _("Total before"), _("Total after")]
                columns = ["uscc", "name", "before", "after", "total_before", "total_after"]
                export = request.GET.get("export")
                if export in ("csv", "xlsx") and moves.height:
                    rows = moves.select(columns).iter_rows()
                    name = export_filename(f"whatif-{candidate.code}-{round_.pk}")
                    return export_csv(name, headers, rows) if export == "csv" else export_xlsx(name, headers, rows)
                page = Paginator(moves.select(columns).rows() if moves.height else [], 50).get_page(
                    request.GET.get("page")
                )
                query = request.GET.copy()
                query.pop("page", None)
                context.update(
                    {
                        "round": round_,
                        "comparison": comparison,
                        "page": page,
                        "headers": headers,
                        "querystring": query.urlencode(),
                        "matrix_rows": [
                            (b, [comparison["matrix"][b][a] for a in comparison["labels"]])
                            for b in comparison["labels"]
                        ],
                    }
                )
        return render(request, "evaluations/ruleset_compare.html", context)


# --------------------------------------------------------------------------------------------- rounds


class RoundListView(ObjectListView):
    model = EvaluationRound
    filterset_class = RoundFilterSet
    title = gettext_lazy("Evaluation rounds")
    export_stem = "evaluation-rounds"
    create_url_name = "evaluations:round_add"
    columns = [
        Column("name", gettext_lazy("Name"), link=True),
        Column("programme", gettext_lazy("Programme")),
        TextColumn("ruleset", gettext_lazy("Rule set")),
        Column("year", gettext_lazy("Year")),
        Column("status", gettext_lazy("Status")),
        TextColumn("district", gettext_lazy("District")),
        Column("assessment_count", gettext_lazy("Results"), numeric=True),
        Column("published_on", gettext_lazy("Published on")),
        Column("synthetic", gettext_lazy("Synthetic"), export_only=True),
    ]

    def get_queryset(self) -> Any:
        return selectors.round_list(user=self.request.user)


class RoundCreateView(LoginRequiredMixin, View):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            _need(request, "add_evaluationround")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"as_of": timezone.localdate(), "year": timezone.localdate().year - 1}
        return self._render(forms.RoundForm(initial=initial, user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.RoundForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                round_ = services.evaluation_round_open(
                    actor=request.user,
                    ruleset=data["ruleset"],
                    year=data["year"],
                    as_of=data["as_of"],
                    name=data.get("name") or "",
                    district=data.get("district"),
                    above_size_only=data.get("above_size_only", False),
                    use_applications=data.get("use_applications", False),
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                return HttpResponseRedirect(round_.get_absolute_url())
        return self._render(form, status=400)

    def _render(self, form: Any, status: int = 200) -> HttpResponse:
        return render(self.request, "evaluations/round_edit.html", {"form": form}, status=status)


def _round(request: HttpRequest, pk: int) -> EvaluationRound:
    return get_object_or_404(selectors.round_list(user=request.user), pk=pk)


RESULT_COLUMNS = [
    Column("enterprise__uscc", gettext_lazy("Credit code"), link=True),
    TextColumn("enterprise", gettext_lazy("Enterprise")),
    TextColumn("enterprise__district", gettext_lazy("District")),
    Column("segment", gettext_lazy("Size class")),
    Column("total_points", gettext_lazy("Total points"), numeric=True),
    Column("outcome", gettext_lazy("Outcome")),
    Column("route", gettext_lazy("Route")),
    Column("rank", gettext_lazy("Rank"), numeric=True),
    Column("rank_population", gettext_lazy("Ranked among"), numeric=True),
    Column("corrected", gettext_lazy("Corrected")),
    Column("engine_version", gettext_lazy("Engine version"), export_only=True),
]


class RoundDetailView(LoginRequiredMixin, View):
    """A round: status and job progress, outcome chart, results (filters, export), objections, applications."""

    TABS = (
        ("overview", gettext_lazy("Overview")),
        ("results", gettext_lazy("Results")),
        ("objections", gettext_lazy("Objections")),
        ("history", gettext_lazy("History")),
    )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = _round(request, pk)
        tab = request.GET.get("tab", "overview")
        tab = tab if tab in dict(self.TABS) else "overview"
        can_change = request.user.has_perm("evaluations.change_evaluationround")
        context: dict[str, Any] = {
            "object": round_,
            "tab": tab,
            "tabs": self.TABS,
            "can_change": can_change,
            "job": job_live_progress(round_.job) if round_.job_id else None,
            "open_objections": selectors.open_objections_count(round_=round_),
            "today": timezone.localdate(),
        }
        if tab == "results":
            response = self.results(request, round_, context)
            if response is not None:
                return response
        elif tab == "objections":
            context["objections"] = selectors.objection_queue(user=request.user, round_=round_)
        elif tab == "history":
            context["changes"] = object_history(round_)
        else:
            context["chart"] = selectors.grade_chart(round_) if round_.has_results else None
            context["upload_form"] = forms.UploadForm()
            context["window_form"] = forms.WindowForm(
                initial={
                    "opens_on": timezone.localdate(),
                    "closes_on": timezone.localdate() + timezone.timedelta(days=14),
                }
            )
            context["publish_form"] = forms.PublishForm(initial={"published_on": timezone.localdate()})
            context["applications"] = round_.applications.count()
        template = "evaluations/partials/_round_tab.html" if is_partial(request) else "evaluations/round_detail.html"
        return render(request, template, context)

    def results(self, request: HttpRequest, round_: EvaluationRound, context: dict[str, Any]) -> HttpResponse | None:
        queryset = selectors.assessment_list(user=request.user, round_=round_).order_by("rank", "enterprise__uscc")
        filterset = AssessmentFilterSet(request.GET or None, queryset=queryset, request=request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            headers = [str(c.header) for c in RESULT_COLUMNS]
            data = ([c.value(a) for c in RESULT_COLUMNS] for a in rows.iterator(chunk_size=2000))
            name = export_filename(f"round-{round_.pk}-results")
            return export_csv(name, headers, data) if export == "csv" else export_xlsx(name, headers, data)
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        visible = [c for c in RESULT_COLUMNS if not c.export_only]
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context.update(
            {
                "filterset": filterset,
                "page": page,
                "columns": visible,
                "rows": [(a, [(c, c.value(a)) for c in visible]) for a in page.object_list],
                "querystring": query.urlencode(),
            }
        )
        return None


class RoundActionView(LoginRequiredMixin, View):
    """POST workflows of a round: run, open the window, publish, reproduce, upload applications."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        _need(request, "change_evaluationround")
        round_ = _round(request, pk)
        try:
            if action == "run":
                services.evaluation_round_run(actor=request.user, round_=round_)
                messages.success(request, _("The evaluation has started."))
            elif action == "window":
                form = forms.WindowForm(request.POST)
                if not form.is_valid():
                    raise DomainError("; ".join(str(e) for errs in form.errors.values() for e in errs))
                services.evaluation_round_open_window(actor=request.user, round_=round_, **form.cleaned_data)
                messages.success(request, _("The publication window is open."))
            elif action == "publish":
                form = forms.PublishForm(request.POST)
                if not form.is_valid():
                    raise DomainError("; ".join(str(e) for errs in form.errors.values() for e in errs))
                count = services.evaluation_round_publish(
                    actor=request.user, round_=round_, on=form.cleaned_data["published_on"]
                )
                messages.success(request, _("Published: %(count)s record(s) written.") % {"count": count})
            elif action == "reproduce":
                report = services.evaluation_round_reproduce(round_=round_)
                if report["identical"]:
                    messages.success(request, _("Reproduced %(rows)s result(s) exactly.") % {"rows": report["rows"]})
                else:
                    messages.error(
                        request,
                        _("%(count)s difference(s) found, e.g. %(first)s")
                        % {"count": len(report["differences"]), "first": report["differences"][0]},
                    )
            elif action == "applications":
                form = forms.UploadForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise DomainError(_("Choose a file."))
                upload = form.cleaned_data["file"]
                raw = spreadsheet.read_text_table(upload.name, data=upload.read())
                counts = services.applications_upload(actor=request.user, round_=round_, raw=raw, source=upload.name)
                messages.success(request, _("%(rows)s application(s) stored.") % counts)
            else:
                raise Http404
        except spreadsheet.FileProblems as exc:
            for line in str(exc).splitlines()[: spreadsheet.MAX_ERRORS_SHOWN]:
                messages.error(request, line)
        except DomainError as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(round_.get_absolute_url())


# --------------------------------------------------------------------------------------------- assessments


class AssessmentDetailView(LoginRequiredMixin, View):
    """One result explained line by line; the enterprise may object during the publication window."""

    def get(self, request: HttpRequest, pk: int, form: Any = None, status: int = 200) -> HttpResponse:
        assessment = get_object_or_404(
            selectors.assessment_list(user=request.user).select_related("round__ruleset"), pk=pk
        )
        can_object = (
            assessment.round.status == RoundStatus.WINDOW
            and request.user.has_perm("evaluations.add_objection")
            and getattr(request.user, "enterprise_id", None) == assessment.enterprise_id
        )
        context = {
            "object": assessment,
            **selectors.assessment_explained(assessment),
            "objections": assessment.objections.all(),
            "can_object": can_object,
            "objection_form": form or (forms.ObjectionForm() if can_object else None),
        }
        return render(request, "evaluations/assessment_detail.html", context, status=status)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        _need(request, "add_objection")
        assessment = get_object_or_404(selectors.assessment_list(user=request.user), pk=pk)
        form = forms.ObjectionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.objection_file(
                    actor=request.user,
                    assessment=assessment,
                    reason=form.cleaned_data["reason"],
                    evidence=form.cleaned_data["evidence"],
                    on=timezone.localdate(),
                    corrected_facts=form.cleaned_data["corrected"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Your objection has been filed."))
                return HttpResponseRedirect(assessment.get_absolute_url())
        return self.get(request, pk, form=form, status=400)


class MyEvaluationsView(LoginRequiredMixin, View):
    """The enterprise's own results (rounds in their window or published)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _need(request, "view_assessment")
        return render(
            request, "evaluations/my_evaluations.html", {"assessments": selectors.my_assessments(user=request.user)}
        )


# --------------------------------------------------------------------------------------------- objections


class ObjectionListView(ObjectListView):
    model = Objection
    filterset_class = ObjectionFilterSet
    title = gettext_lazy("Objections")
    export_stem = "objections"
    columns = [
        TextColumn("enterprise", gettext_lazy("Enterprise"), link=True),
        TextColumn("round", gettext_lazy("Round")),
        Column("status", gettext_lazy("Status")),
        Column("created_at", gettext_lazy("Filed at")),
        Column("resolved_on", gettext_lazy("Resolved on")),
        Column("enterprise__uscc", gettext_lazy("Credit code"), export_only=True),
    ]

    def get_queryset(self) -> Any:
        return selectors.objection_queue(user=self.request.user)


class ObjectionDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, form: Any = None, status: int = 200) -> HttpResponse:
        objection = get_object_or_404(selectors.objection_queue(user=request.user), pk=pk)
        can_resolve = objection.status == ObjectionStatus.OPEN and request.user.has_perm("evaluations.change_objection")
        context = {
            "object": objection,
            "can_resolve": can_resolve,
            "form": form or (forms.ResolveForm() if can_resolve else None),
            "changes": object_history(objection),
        }
        return render(request, "evaluations/objection_detail.html", context, status=status)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        _need(request, "change_objection")
        objection = get_object_or_404(selectors.objection_queue(user=request.user), pk=pk)
        form = forms.ResolveForm(request.POST)
        if form.is_valid():
            try:
                services.objection_resolve(
                    actor=request.user,
                    objection=objection,
                    accept=form.cleaned_data["decision"] == "accept",
                    resolution=form.cleaned_data.get("resolution") or "",
                    on=timezone.localdate(),
                    corrected_facts=form.cleaned_data["corrected"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The objection is resolved."))
                return HttpResponseRedirect(objection.get_absolute_url())
        return self.get(request, pk, form=form, status=400)


# --------------------------------------------------------------------------------------------- benefit


class BenefitView(LoginRequiredMixin, View):
    """Enterprises in scope that the rules say are eligible for a tier they do not hold (registry facts)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _need(request, "view_evaluationround")
        from industria.enterprises.selectors import facts_latest_year

        year = facts_latest_year() or timezone.localdate().year - 1
        form = forms.BenefitForm(request.GET or None, initial={"year": year})
        context: dict[str, Any] = {"form": form}
        if form.is_valid():
            frame = services.benefit_candidates(
                user=request.user,
                programme=form.cleaned_data["programme"],
                year=form.cleaned_data["year"],
                as_of=timezone.localdate(),
            )
            headers = [_("Credit code"), _("Name"), _("Total points"), _("Route")]
            rows = frame.select("uscc", "name", "total_points", "route").rows() if frame.height else []
            export = request.GET.get("export")
            if export in ("csv", "xlsx"):
                name = export_filename(f"benefit-{form.cleaned_data['programme']}")
                return export_csv(name, headers, rows) if export == "csv" else export_xlsx(name, headers, rows)
            ids = frame["enterprise_id"].to_list() if frame.height else []
            page = Paginator(list(zip(ids, rows, strict=True)), 50).get_page(request.GET.get("page"))
            query = request.GET.copy()
            query.pop("page", None)
            context.update({"page": page, "headers": headers, "querystring": query.urlencode(), "count": len(rows)})
        return render(request, "evaluations/benefit.html", context)


def enterprise_url(pk: int) -> str:
    return reverse("enterprises:enterprise_detail", args=[pk])
