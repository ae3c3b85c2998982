"""Tier 1 pages: the learner's training home, courses, lessons, quizzes; authoring for coordinators;
certificates (download, batches, public verification).

Views: access helper → form → action → render or redirect.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.lib.decorators import roles_required, staff_required
from openpes.lib.http import AuthedRequest
from openpes.lib.i18n import pick
from openpes.lib.pagination import paginate
from openpes.training import access, content
from openpes.training.access import RUNNERS
from openpes.training.actions import certificates as certificate_actions
from openpes.training.actions import learning
from openpes.training.enums import QuizKind, RegistrationStatus
from openpes.training.forms_learning import (
    CertificateLanguageForm,
    CourseForm,
    ImportCourseForm,
    LessonForm,
    LessonImageForm,
    ModuleForm,
    QuestionForm,
    QuizForm,
    TakeQuizForm,
    VerifyForm,
)
from openpes.training.models import (
    Certificate,
    Enrolment,
    Event,
    Lesson,
    LessonImage,
    Module,
    Question,
    Quiz,
    QuizAttempt,
    Registration,
)
from openpes.training.rich_text import render_markdown

authors_only = roles_required(RUNNERS)
# Lesson pages and their pictures hold course content (and the reader's own name in the footer, nobody
# else's): the reader's browser may keep them a day so a lesson once opened can be read again without a
# connection. Shared caches may not (private).
OFFLINE_READING = "private, max-age=86400"


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _language(request: HttpRequest) -> str:
    return "en" if (translation.get_language() or "km").startswith("en") else "km"


# ----------------------------------------------------------------------------------------------- learners


@staff_required
def home(request: AuthedRequest) -> HttpResponse:
    """The learner's training page: courses (resume), events, certificates; links for coordinators."""
    user = request.user
    enrolments = (
        Enrolment.objects.filter(learner=user)
        .select_related("course")
        .annotate(read=Count("progress", distinct=True), total=Count("course__modules__lessons", distinct=True))
        .order_by("completed_at", "-started_at")
    )
    registrations = (
        Registration.objects.filter(participant=user, status=RegistrationStatus.REGISTERED)
        .select_related("event")
        .order_by("-event__starts_on")[:20]
    )
    open_courses = access.get_courses_for_user(user).filter(is_published=True).exclude(enrolments__learner=user)
    context = {
        "enrolments": enrolments,
        "registrations": registrations,
        "certificates": Certificate.objects.filter(person=user).select_related("course", "event"),
        "open_courses": open_courses[:10],
        "runs_programme": access.runs_programme(user),
        "reads_reports": access.reads_reports(user),
    }
    return render(request, "training/learning/home.html", context)


@staff_required
def course_list(request: AuthedRequest) -> HttpResponse:
    courses = (
        access.get_courses_for_user(request.user)
        .annotate(
            module_count=Count("modules", distinct=True),
            mine=Count("enrolments", filter=Q(enrolments__learner=request.user), distinct=True),
        )
        .order_by("-is_published", "title_en", "id")
    )
    context = paginate(request, courses, per_page=20)
    context["runs_programme"] = access.runs_programme(request.user)
    return render(request, "training/learning/course_list.html", context)


@staff_required
def course_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    course = access.get_course_for_user(request.user, pk)
    enrolment = Enrolment.objects.filter(course=course, learner=request.user).first()
    modules = course.modules.order_by("order", "id").prefetch_related(
        Prefetch("lessons", queryset=Lesson.objects.order_by("order", "id")),
        Prefetch("quizzes", queryset=Quiz.objects.filter(kind=QuizKind.MODULE)),
    )
    context: dict[str, Any] = {
        "course": course,
        "description": pick(course.description_km, course.description_en),
        "modules": modules,
        "enrolment": enrolment,
        "pre_test": learning.pre_test(course),
        "post_test": learning.post_test(course),
        "runs_programme": access.runs_programme(request.user),
    }
    if enrolment is not None:
        context["read"] = learning.read_lesson_ids(enrolment)
        context["lessons_open"] = learning.lessons_open(enrolment)
        context["next"] = learning.next_step(enrolment)
        context["gain"] = learning.learner_gain(course=course, learner=request.user)
        context["certificate"] = Certificate.objects.filter(person=request.user, course=course).first()
        context["attempts"] = (
            QuizAttempt.objects.filter(learner=request.user, quiz__course=course, submitted_at__isnull=False)
            .select_related("quiz")
            .order_by("-submitted_at")
        )
        context["lesson_total"] = sum(len(m.lessons.all()) for m in modules)
    return render(request, "training/learning/course_detail.html", context)


@staff_required
@require_POST
def enrol(request: AuthedRequest, pk: int) -> HttpResponse:
    course = access.get_course_for_user(request.user, pk)
    if not course.is_published:
        messages.error(request, _("This course is not open to learners yet."))
        return redirect("training:course_detail", course.pk)
    learning.enrol(learner=request.user, course=course, request=request)
    messages.success(request, _("You are enrolled. Start with the pre-test: it shows what you know already."))
    return redirect("training:resume", course.pk)


@staff_required
def resume(request: AuthedRequest, pk: int) -> HttpResponse:
    """Go on where the learner left off."""
    course = access.get_course_for_user(request.user, pk)
    enrolment = Enrolment.objects.filter(course=course, learner=request.user).select_related("course").first()
    if enrolment is None:
        return redirect("training:course_detail", course.pk)
    step = learning.next_step(enrolment)
    if step.kind in ("pre_test", "post_test") and step.quiz is not None:
        return redirect("training:take_quiz", step.quiz.pk)
    if step.kind == "lesson" and step.lesson is not None:
        return redirect("training:lesson", step.lesson.pk)
    return redirect("training:course_detail", course.pk)


def _image_url(lesson: Lesson) -> Any:
    images = list(lesson.images.order_by("id").values_list("pk", flat=True))

    def url(n: int) -> str | None:
        return reverse("training:lesson_image", args=[images[n - 1]]) if 1 <= n <= len(images) else None

    return url


@staff_required
def lesson(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = access.get_lesson_for_user(request.user, pk)
    course = lesson.module.course
    enrolment = Enrolment.objects.filter(course=course, learner=request.user).first()
    preview = access.runs_programme(request.user) and enrolment is None
    if not preview:
        if enrolment is None:
            messages.info(request, _("Enrol in the course to read its lessons."))
            return redirect("training:course_detail", course.pk)
        if not learning.lessons_open(enrolment):
            messages.info(request, _("Take the pre-test first: it shows what you know before the course."))
            return redirect("training:resume", course.pk)
        learning.open_lesson(enrolment=enrolment, lesson=lesson)
    lessons = learning.lessons_of(course)
    index = next(i for i, item in enumerate(lessons) if item.pk == lesson.pk)
    context = {
        "lesson": lesson,
        "course": course,
        "body": render_markdown(lesson.body, image_url=_image_url(lesson)),
        "previous": lessons[index - 1] if index > 0 else None,
        "next": lessons[index + 1] if index + 1 < len(lessons) else None,
        "position": index + 1,
        "count": len(lessons),
        "is_read": enrolment is not None and enrolment.progress.filter(lesson=lesson).exists(),
        "preview": preview,
        "module_quizzes": [q for q in lesson.module.quizzes.all() if q.kind == QuizKind.MODULE]
        if index + 1 == len(lessons) or lessons[index + 1].module_id != lesson.module_id
        else [],
    }
    response = render(request, "training/learning/lesson.html", context)
    response["Cache-Control"] = OFFLINE_READING
    return response


@staff_required
@require_POST
def lesson_read(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = access.get_lesson_for_user(request.user, pk)
    course = lesson.module.course
    if not course.is_published:
        raise Http404
    try:
        enrolment = learning.mark_lesson_read(learner=request.user, lesson=lesson, request=request)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("training:resume", course.pk)
    if enrolment.completed_at is not None:
        messages.success(request, _("Well done: you have completed the course. Your certificate is ready."))
        return redirect("training:course_detail", course.pk)
    lessons = learning.lessons_of(course)
    index = next(i for i, item in enumerate(lessons) if item.pk == lesson.pk)
    following = lessons[index + 1] if index + 1 < len(lessons) else None
    if following is not None and following.module_id == lesson.module_id:
        return redirect("training:lesson", following.pk)
    # End of a module: the course page shows the module quiz and what comes next.
    messages.success(request, _("Module finished. Try its quiz, or go on to the next module."))
    return redirect("training:course_detail", course.pk)


@staff_required
def lesson_image(request: AuthedRequest, pk: int) -> HttpResponse:
    image = LessonImage.objects.filter(lesson__in=_visible_lessons(request), pk=pk).first()
    if image is None:
        raise Http404
    content_type = "image/png" if (image.file.name or "").lower().endswith(".png") else "image/jpeg"
    with image.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=content_type)
    response["Cache-Control"] = OFFLINE_READING
    return response


def _visible_lessons(request: AuthedRequest) -> Any:
    return Lesson.objects.filter(module__course__in=access.get_courses_for_user(request.user))


def _event_from(request: AuthedRequest) -> Event | None:
    raw = request.POST.get("event") or request.GET.get("event")
    if not raw:
        return None
    if not str(raw).isdigit():
        raise Http404
    return access.get_event_for_user(request.user, raw)


@staff_required
def take_quiz(request: AuthedRequest, quiz_pk: int) -> HttpResponse:
    """Intro → start (POST) → the questions (resumable) → hand in (POST) → the result page.

    With `?event=<pk>` a registered participant takes the event course's pre- or post-test; the sitting is
    recorded with the event."""
    quiz = access.get_quiz_for_user(request.user, quiz_pk)
    event = _event_from(request)
    here = reverse("training:take_quiz", args=[quiz.pk]) + (f"?event={event.pk}" if event else "")
    attempt = QuizAttempt.objects.filter(
        learner=request.user, quiz=quiz, event=event, submitted_at__isnull=True
    ).first()
    if request.method == "POST" and "start" in request.POST:
        try:
            learning.start_attempt(learner=request.user, quiz=quiz, event=event, request=request)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect(here)
    context: dict[str, Any] = {"quiz": quiz, "course": quiz.course, "event": event, "here": here}
    if attempt is None:
        try:
            learning.check_may_take(learner=request.user, quiz=quiz, event=event)
        except ValidationError as error:
            context["refusal"] = _error_text(error)
        context["used"] = QuizAttempt.objects.filter(
            learner=request.user, quiz=quiz, event=event, submitted_at__isnull=False
        ).count()
        context["available"] = min(quiz.item_count, learning._bank(quiz).count())
        return render(request, "training/learning/quiz_intro.html", context)
    form = TakeQuizForm(request.POST if request.method == "POST" else None, attempt=attempt)
    if request.method == "POST" and form.is_valid():
        try:
            learning.submit_attempt(attempt=attempt, answers=form.answers(), request=request)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            return redirect("training:attempt", attempt.pk)
    context.update({"attempt": attempt, "form": form})
    return render(request, "training/learning/take_quiz.html", context)


@staff_required
def attempt_result(request: AuthedRequest, pk: int) -> HttpResponse:
    attempt = access.get_attempt_for_user(request.user, pk)
    if attempt.submitted_at is None:
        if attempt.learner_id != request.user.pk:
            raise Http404
        return redirect("training:take_quiz", attempt.quiz_id)
    if attempt.learner_id != request.user.pk:
        record(actor=request.user, action=AuditAction.VIEW, obj=attempt, subject_id=attempt.learner_id, request=request)
    quiz = attempt.quiz
    answers = {a.question_id: a for a in attempt.answers.all()}
    items = [(question, choices, answers.get(question.pk)) for question, choices in learning.attempt_questions(attempt)]
    used = QuizAttempt.objects.filter(
        learner=attempt.learner, quiz=quiz, event=attempt.event, submitted_at__isnull=False
    ).count()
    no_more = bool(quiz.max_attempts) and used >= quiz.max_attempts
    context = {
        "attempt": attempt,
        "quiz": quiz,
        "course": quiz.course,
        "items": items,
        # The post-test's right answers stay hidden while the learner may still try again.
        "show_answers": quiz.kind != QuizKind.POST_TEST or attempt.passed or no_more,
        "gain": learning.learner_gain(course=quiz.course, learner=attempt.learner, event=attempt.event)
        if quiz.kind == QuizKind.POST_TEST
        else None,
        "can_retry": attempt.learner_id == request.user.pk and not attempt.passed and not no_more,
        "own": attempt.learner_id == request.user.pk,
    }
    return render(request, "training/learning/attempt.html", context)


# ----------------------------------------------------------------------------------------------- authors


@authors_only
def course_create(request: AuthedRequest) -> HttpResponse:
    programmes = access.get_programmes_for_user(request.user)
    form = CourseForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        try:
            course = learning.save_course(actor=request.user, course=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The course was created. Add its modules and lessons."))
            return redirect("training:course_edit", course.pk)
    if not programmes.exists():
        messages.info(request, _("Create a programme first: every course belongs to one."))
    return render(
        request,
        "training/learning/form_page.html",
        {"form": form, "heading": _("New course"), "cancel_url": reverse("training:courses")},
    )


@authors_only
def course_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The authoring page of a course: its settings, modules and lessons, item bank and quizzes."""
    course = access.get_authored_course(request.user, pk)
    form = CourseForm(request.POST or None, instance=course, programmes=access.get_programmes_for_user(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            learning.save_course(actor=request.user, course=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The course was saved."))
            return redirect("training:course_edit", course.pk)
    modules = course.modules.order_by("order", "id").prefetch_related(
        Prefetch("lessons", queryset=Lesson.objects.order_by("order", "id").annotate(image_count=Count("images")))
    )
    quizzes = course.quizzes.select_related("module").order_by("kind", "id")
    bank = Question.objects.filter(course=course).values("form").annotate(n=Count("id")).order_by("form")
    context = {
        "course": course,
        "form": form,
        "modules": modules,
        "quizzes": quizzes,
        "bank": {row["form"]: row["n"] for row in bank},
        "stats": learning.course_stats(course),
    }
    return render(request, "training/learning/course_edit.html", context)


@authors_only
def module_form(request: AuthedRequest, pk: int) -> HttpResponse:
    """New module (pk is the course) or edit one (pk is the module): told apart by the URL name."""
    if request.resolver_match and request.resolver_match.url_name == "module_create":
        course = access.get_authored_course(request.user, pk)
        module = Module(course=course)
    else:
        module = _authored(request, Module.objects.select_related("course"), pk, "course")
        course = module.course
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        try:
            learning.save_module(actor=request.user, module=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The module was saved."))
            return redirect("training:course_edit", course.pk)
    heading = _("Edit module") if module.pk else _("New module")
    return render(
        request,
        "training/learning/form_page.html",
        {
            "form": form,
            "heading": heading,
            "course": course,
            "cancel_url": reverse("training:course_edit", args=[course.pk]),
        },
    )


def _authored(request: AuthedRequest, queryset: Any, pk: int, course_path: str) -> Any:
    """An object of a course the user may author (404 otherwise)."""
    courses = access.get_authored_courses(request.user)
    found = queryset.filter(**{f"{course_path}__in": courses}, pk=pk).first()
    if found is None:
        raise Http404
    return found


@authors_only
def lesson_form(request: AuthedRequest, pk: int | None = None, module_pk: int | None = None) -> HttpResponse:
    if module_pk is not None:
        module = _authored(request, Module.objects.select_related("course"), module_pk, "course")
        lesson = Lesson(module=module)
    else:
        lesson = _authored(request, Lesson.objects.select_related("module__course"), pk or 0, "module__course")
        module = lesson.module
    form = LessonForm(request.POST or None, instance=lesson)
    if request.method == "POST" and form.is_valid():
        try:
            saved = learning.save_lesson(actor=request.user, lesson=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The lesson was saved."))
            if "images" in request.POST:
                return redirect("training:lesson_images", saved.pk)
            return redirect("training:course_edit", module.course_id)
    return render(
        request,
        "training/learning/lesson_form.html",
        {"form": form, "lesson": lesson, "module": module, "course": module.course},
    )


@authors_only
def lesson_images(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = _authored(request, Lesson.objects.select_related("module__course"), pk, "module__course")
    form = LessonImageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, data = form.cleaned_data["image"]
        try:
            learning.add_lesson_image(
                actor=request.user,
                lesson=lesson,
                name=name,
                data=data,
                alt_km=form.cleaned_data["alt_km"],
                alt_en=form.cleaned_data["alt_en"],
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The picture was added."))
            return redirect("training:lesson_images", lesson.pk)
    return render(
        request,
        "training/learning/lesson_images.html",
        {"lesson": lesson, "course": lesson.module.course, "images": lesson.images.order_by("id"), "form": form},
    )


@authors_only
def question_bank(request: AuthedRequest, pk: int) -> HttpResponse:
    course = access.get_authored_course(request.user, pk)
    questions = (
        Question.objects.filter(course=course)
        .select_related("module", "competence")
        .annotate(choice_count=Count("choices"), correct_count=Count("choices", filter=Q(choices__correct=True)))
        .order_by("module__order", "form", "id")
    )
    form_filter = request.GET.get("form")
    if form_filter in ("A", "B", "none"):
        questions = questions.filter(form="" if form_filter == "none" else form_filter)
    context = {"course": course, "form_filter": form_filter, **paginate(request, questions, per_page=30)}
    return render(request, "training/learning/question_bank.html", context)


@authors_only
def question_form(request: AuthedRequest, pk: int | None = None, course_pk: int | None = None) -> HttpResponse:
    if course_pk is not None:
        course = access.get_authored_course(request.user, course_pk)
        question = Question(course=course)
    else:
        question = _authored(request, Question.objects.select_related("course__programme"), pk or 0, "course")
        course = question.course
    form = QuestionForm(request.POST or None, instance=question, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            learning.save_question(actor=request.user, question=form.save(commit=False), choices=form.choices)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The question was saved."))
            if "another" in request.POST:
                return redirect("training:question_create", course.pk)
            return redirect("training:questions", course.pk)
    return render(
        request, "training/learning/question_form.html", {"form": form, "question": question, "course": course}
    )


@authors_only
def quiz_form(request: AuthedRequest, pk: int | None = None, course_pk: int | None = None) -> HttpResponse:
    if course_pk is not None:
        course = access.get_authored_course(request.user, course_pk)
        quiz = Quiz(course=course)
    else:
        quiz = _authored(request, Quiz.objects.select_related("course"), pk or 0, "course")
        course = quiz.course
    form = QuizForm(request.POST or None, instance=quiz, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            learning.save_quiz(actor=request.user, quiz=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The quiz was saved."))
            return redirect("training:course_edit", course.pk)
    heading = _("Edit quiz") if quiz.pk else _("New quiz")
    return render(
        request,
        "training/learning/form_page.html",
        {
            "form": form,
            "heading": heading,
            "course": course,
            "cancel_url": reverse("training:course_edit", args=[course.pk]),
        },
    )


@authors_only
def course_import(request: AuthedRequest) -> HttpResponse:
    programmes = access.get_programmes_for_user(request.user)
    form = ImportCourseForm(request.POST or None, request.FILES or None, programmes=programmes)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            course = content.import_course(form.cleaned_data["file"].read(), form.cleaned_data["programme"])
        except ValidationError as error:
            problems = error.messages
            form.add_error(
                "file", _("This file cannot be imported: nothing was created. The problems are listed below.")
            )
        else:
            record(actor=request.user, action=AuditAction.IMPORT, obj=course, request=request)
            messages.success(request, _("The course was imported. Check it, then open it to learners."))
            return redirect("training:course_edit", course.pk)
    return render(request, "training/learning/import.html", {"form": form, "problems": problems})


@authors_only
def course_export(request: AuthedRequest, pk: int) -> HttpResponse:
    course = access.get_authored_course(request.user, pk)
    slug = f"course-{course.pk}"
    if request.GET.get("format") == "zip":
        response = HttpResponse(content.export_course_zip(course), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{slug}.zip"'
        return response
    body = json.dumps(content.export_course(course), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.json"'
    return response


@staff_required
def course_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every learner's progress and learning gain, and the gain by module and competence (coordinators and
    national officers)."""
    if not access.reads_reports(request.user):
        raise PermissionDenied
    course = access.get_course_for_user(request.user, pk)
    enrolments = (
        Enrolment.objects.filter(course=course, learner__in=access.get_trainees_for_user(request.user))
        .select_related("learner__centre")
        .order_by("learner__full_name", "id")
    )
    context = paginate(request, enrolments, per_page=50)
    context["rows"] = learning.course_progress(course, context["page_obj"].object_list)
    pairs = learning.paired_attempts(course=course)
    by_tag = learning.gain_by_tag(pairs)
    modules = {m.pk: m for m in course.modules.all()}
    from openpes.training.models import Competence

    competences = {c.pk: c for c in Competence.objects.filter(pk__in=list(by_tag["competence"]))}
    context.update(
        {
            "course": course,
            "stats": learning.course_stats(course),
            "pairs": len(pairs),
            "by_module": [(modules[k], v) for k, v in by_tag["module"].items() if k in modules],
            "by_competence": [(competences[k], v) for k, v in by_tag["competence"].items() if k in competences],
        }
    )
    record(
        actor=request.user,
        action=AuditAction.LIST,
        object_type="training.enrolment",
        count=len(context["rows"]),
        request=request,
    )
    return render(request, "training/learning/progress.html", context)


# ----------------------------------------------------------------------------------------------- certificates


def _pdf_language(request: HttpRequest) -> str:
    form = CertificateLanguageForm(request.GET)
    chosen = form.cleaned_data.get("language") if form.is_valid() else ""
    return chosen or _language(request)


@staff_required
def certificate_download(request: AuthedRequest, pk: int) -> HttpResponse:
    certificate = access.get_certificate_for_user(request.user, pk)
    language = _pdf_language(request)
    pdf = certificate_actions.render_certificate_pdf(certificate, language=language)
    record(
        actor=request.user,
        action=AuditAction.DOWNLOAD,
        obj=certificate,
        subject_id=certificate.person_id,
        detail={"language": language},
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_actions.file_name(certificate, language)}"'
    return response


def _zip_response(request: AuthedRequest, certificates: list[Certificate], name: str) -> HttpResponse:
    language = _pdf_language(request)
    record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="training.certificate",
        count=len(certificates),
        detail={"batch": name, "language": language},
        request=request,
    )
    response = HttpResponse(
        certificate_actions.certificates_zip(certificates, language=language), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-{language}.zip"'
    return response


@authors_only
def course_certificates_zip(request: AuthedRequest, pk: int) -> HttpResponse:
    course = access.get_authored_course(request.user, pk)
    certificates = list(Certificate.objects.filter(course=course, revoked=False).select_related("person", "course"))
    return _zip_response(request, certificates, f"certificates-course-{course.pk}")


@staff_required
def event_certificates_zip(request: AuthedRequest, pk: int) -> HttpResponse:
    event = access.get_managed_event(request.user, pk)
    certificates = list(
        Certificate.objects.filter(event=event, revoked=False).select_related("person", "event__programme")
    )
    return _zip_response(request, certificates, f"certificates-event-{event.pk}")


@login_not_required
def verify_form(request: HttpRequest) -> HttpResponse:
    """Type the code printed on a paper certificate (public)."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = certificate_actions.normalise_code(form.cleaned_data["code"])
        return redirect("training:verify_certificate", code)
    return render(request, "training/certificates/verify.html", {"form": form, "searched": False})


@login_not_required
def verify_certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Public: is this certificate genuine? Shows only the name, the title, the kind and the date."""
    certificate = (
        Certificate.objects.select_related("person", "course", "event")
        .filter(code=certificate_actions.normalise_code(code))
        .first()
    )
    context: dict[str, Any] = {"searched": True, "code": code, "certificate": certificate, "form": VerifyForm()}
    if certificate is None:
        return render(request, "training/certificates/verify.html", context, status=404)
    record(
        actor=request.user, action=AuditAction.VIEW, obj=certificate, subject_id=certificate.person_id, request=request
    )
    context["name"] = certificate.person.full_name or _("(name not recorded)")
    context["title"] = certificate_actions.certificate_title(certificate, _language(request))
    return render(request, "training/certificates/verify.html", context)
