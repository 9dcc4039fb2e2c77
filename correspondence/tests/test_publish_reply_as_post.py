from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from cases.models import Case
from conftest import Cast
from correspondence.models import Post, Reply
from correspondence.services import (
    ReplyAlreadyPosted,
    ReplyNotTranscribed,
    publish_reply_as_post,
)

pytestmark = pytest.mark.django_db

HAVEL = (
    "I received some mail today and I was comforted by one letter, which was from none other "
    "than Vaclav Havel.\n\nThe letter was written in Czech and signed by him."
)


def _reply(case: Case, **fields: object) -> Reply:
    values: dict[str, object] = {
        "case": case,
        "written_on": date(2012, 1, 6),
        "written_at": "Babruysk",
        "received_on": date(2012, 1, 20),
        "language": "en",
        "transcription": HAVEL,
    }
    values.update(fields)
    return Reply.objects.create(**values)


def test_reply_becomes_a_draft_post_with_its_text_date_place_and_language(
    case: Case, editor: User
) -> None:
    reply = _reply(case, language="be")
    post = publish_reply_as_post(reply, editor)
    reply.refresh_from_db()
    assert reply.post == post
    assert post.status == Post.Status.DRAFT
    assert (post.case, post.body, post.language) == (case, HAVEL, "be")
    assert (post.written_on, post.written_at) == (date(2012, 1, 6), "Babruysk")
    assert post.title == "Letter from Ales Bialiatski, 2012-01-06"
    assert post.created_by == editor


def test_reply_turns_into_a_post_only_once(case: Case, editor: User) -> None:
    reply = _reply(case)
    publish_reply_as_post(reply, editor)
    with pytest.raises(ReplyAlreadyPosted):
        publish_reply_as_post(reply, editor)
    assert Post.objects.count() == 1


def test_reply_without_transcription_cannot_become_a_post(case: Case, editor: User) -> None:
    reply = _reply(case, transcription="  ", written_on=None)
    with pytest.raises(ReplyNotTranscribed):
        publish_reply_as_post(reply, editor)
    assert not Post.objects.exists()


def test_reply_records_the_letters_it_answers(case: Case) -> None:
    from lantern.testing import make_campaign
    from letters.models import Letter

    campaign = make_campaign(cases=[case])
    letters = [
        Letter.objects.create(
            campaign=campaign,
            case=case,
            text=f"Dear Ales, {n}",
            author_name="Ewa",
            author_country="PL",
            status=Letter.Status.POSTED,
        )
        for n in range(2)
    ]
    reply = _reply(case)
    reply.answers_letters.set(letters)
    assert list(letters[0].replies.all()) == [reply]
    assert set(reply.answers_letters.all()) == set(letters)


def test_reply_records_the_mail_batch_it_answers(case: Case) -> None:
    from cases.models import Facility
    from mail.models import MailBatch

    facility = Facility.objects.create(name="Penal colony No. 2, Babruysk", country="BY")
    batch = MailBatch.objects.create(facility=facility)
    reply = _reply(case, answers_batch=batch)
    assert list(batch.replies.all()) == [reply]
    post = publish_reply_as_post(reply, User.objects.create_user("e2"))
    assert post.reply.answers_batch == batch


def test_editor_turns_a_reply_into_a_draft_and_lands_on_its_edit_page(
    client: Client, case: Case, editor: User
) -> None:
    reply = _reply(case)
    client.force_login(editor)
    assert "Make a draft post" in client.get(reverse("correspondence:editor")).content.decode()
    url = reverse("correspondence:reply_to_post", args=[reply.pk])
    response = client.post(url)
    post = Post.objects.get()
    assert response["Location"] == reverse("correspondence:edit", args=[post.pk])
    again = client.post(url)
    assert again["Location"] == response["Location"] and Post.objects.count() == 1


def test_reply_without_text_is_refused_with_a_reason(
    client: Client, case: Case, editor: User
) -> None:
    reply = _reply(case, transcription="")
    client.force_login(editor)
    response = client.post(reverse("correspondence:reply_to_post", args=[reply.pk]))
    assert response.status_code == 409
    assert "no transcription yet" in response.content.decode()


def test_reply_to_post_needs_an_editor_and_a_post_request(
    client: Client, case: Case, cast: Cast
) -> None:
    url = reverse("correspondence:reply_to_post", args=[_reply(case).pk])
    response = client.post(url)
    assert response.status_code == 302 and "/partners/login/" in response["Location"]
    client.force_login(cast.reporter)
    assert client.post(url).status_code == 403
    client.force_login(cast.organizer)
    assert client.get(url).status_code == 405
    assert not Post.objects.exists()
