from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from openpes.training.enums import QuestionKind, QuizKind, Tier
from openpes.training.models import Choice, Course, Event, Lesson, Module, Programme, Question, Quiz


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    title_en = "PES counsellor capacity building"
    title_km = "ការកសាងសមត្ថភាពអ្នកប្រឹក្សាការងារ"


class CourseFactory(factory.django.DjangoModelFactory[Course]):
    class Meta:
        model = Course

    programme = factory.SubFactory(ProgrammeFactory)
    title_en = "Client-centred employment services"
    title_km = "សេវាការងារផ្តោតលើអតិថិជន"
    is_published = True
    hours = 6


class ModuleFactory(factory.django.DjangoModelFactory[Module]):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    title_en = factory.Sequence(lambda n: f"Module {n}")
    title_km = factory.Sequence(lambda n: f"ម៉ូឌុល {n}")
    order = factory.Sequence(int)


class LessonFactory(factory.django.DjangoModelFactory[Lesson]):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    title_en = factory.Sequence(lambda n: f"Lesson {n}")
    title_km = factory.Sequence(lambda n: f"មេរៀន {n}")
    body_en = "Listen first. Ask open questions."
    body_km = "ស្តាប់ជាមុនសិន។ សួរសំណួរបើកចំហ។"
    order = factory.Sequence(int)


class QuestionFactory(factory.django.DjangoModelFactory[Question]):
    """A single-choice question with one right and two wrong answers."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    kind = QuestionKind.SINGLE
    text_en = factory.Sequence(lambda n: f"Question {n}?")
    text_km = factory.Sequence(lambda n: f"សំណួរ {n}?")

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if create:
            Choice.objects.create(question=self, text_en="Right", text_km="ត្រូវ", correct=True)
            Choice.objects.create(question=self, text_en="Wrong", text_km="ខុស")
            Choice.objects.create(question=self, text_en="Also wrong", text_km="ខុសដែរ")


class QuizFactory(factory.django.DjangoModelFactory[Quiz]):
    class Meta:
        model = Quiz

    course = factory.SubFactory(CourseFactory)
    kind = QuizKind.MODULE
    item_count = 3


class EventFactory(factory.django.DjangoModelFactory[Event]):
    """A two-day training of trainers starting today (use tier= and the lead fields for other tiers)."""

    class Meta:
        model = Event

    programme = factory.SubFactory(ProgrammeFactory)
    tier = Tier.TOT
    title_en = "Training of trainers, Phnom Penh"
    title_km = "វគ្គបណ្តុះបណ្តាលគ្រូបង្គោល ភ្នំពេញ"
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=1))
    hours = 12
    venue = "NEA headquarters"
