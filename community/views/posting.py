"""Writing: a new topic, a reply (perhaps quoting a post), editing and deleting one's own post, reactions, the
accepted answer, and attachments. Every write is a POST through a service; a failed form keeps what was typed."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View

from community import permissions
from community.display import member_name
from community.forms import AnswerForm, PostEditForm, ReactionForm, ReplyForm, TopicForm
from community.models import Attachment, Post, Topic
from community.selectors import topics as topic_selectors
from community.services import posting, reactions
from community.services.mentions import HANDLE
from community.views.forum import _shell
from portal import uploads
from portal.http import AuthenticatedHttpRequest
from portal.ratelimits import is_limited, rate_limit


def post_url(post: Post) -> str:
    page = topic_selectors.page_of_number(post.number)
    return f"{reverse('community:topic-detail', args=[post.topic_id])}?page={page}#post-{post.number}"


def _not_a_member(request: HttpRequest) -> HttpResponse:
    """Signed in but not (yet, or just now) able to write: say why and what to do, kindly."""
    return render(request, "community/not_a_member.html", _shell(request), status=403)


# What Markdown (with "extra") reads as formatting inside a line, each shown as itself after a backslash.
_MARKDOWN_INLINE = re.compile(r"([\\`*_{}\[\]|])")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")


def markdown_literal(text: str) -> str:
    """Text that Markdown shows exactly as written inside a line: emphasis, code, link and attribute marks escaped,
    "<" (which a backslash does not escape) and anything that reads as an entity written as entities. So a display
    name such as "<b>Sam</b>", "*Sam*" or "Tom &amp; Jerry" is shown, not read as markup."""
    return _ENTITY_LIKE.sub("&amp;", _MARKDOWN_INLINE.sub(r"\\\1", text)).replace("<", "&lt;")


def quote_text(post: Post) -> str:
    """A plain-text Markdown quote of a post, to start a reply with; the author's name stays as they wrote it."""
    name = markdown_literal(member_name(post.author))
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body_markdown.strip().splitlines())
    return f"> **{name}** wrote:\n>\n{quoted}\n\n"


RATE_LIMITED_MESSAGE = (
    "You have posted a lot in a short time. To keep the community calm for everyone there is a limit on new topics, "
    "replies and mentions each hour. Nothing is lost: your words are below. Please try again in a little while."
)


def _mention_rate(group: str, request: HttpRequest) -> str | None:
    """Posts that mention people are limited on their own (a burst of mentions reaches many inboxes)."""
    return "20/h" if HANDLE.search(request.POST.get("body", "")) else None


mention_limit = method_decorator(rate_limit(group="community:mentions", rate=_mention_rate, block=False), name="post")


@method_decorator(rate_limit(group="community:topic-create", rate="10/h", block=False), name="post")
@mention_limit
class TopicCreateView(LoginRequiredMixin, View):
    def setup_category(self, request: HttpRequest, slug: str) -> None:
        self.category = permissions.category_get_for_user(slug=slug, user=request.user)

    def get(self, request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
        self.setup_category(request, slug)
        if not permissions.can_start_topic(request.user, self.category):
            return _not_a_member(request)
        return self._render(request, TopicForm())

    def post(self, request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
        self.setup_category(request, slug)
        if not permissions.can_start_topic(request.user, self.category):
            return _not_a_member(request)
        form = TopicForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        if is_limited(request):
            form.add_error(None, RATE_LIMITED_MESSAGE)
            return self._render(request, form, status=429)
        data = form.cleaned_data
        topic = posting.topic_create(
            author=request.user,
            category=self.category,
            title=data["title"],
            body=data["body"],
            kind=data["kind"],
            content_note=data["content_note"],
            attachment=data["attachment"],
        )
        if topic.hidden:
            messages.info(request, HELD_MESSAGE)
        else:
            messages.success(request, "Your topic is posted.")
        return redirect(topic)

    def _render(self, request: HttpRequest, form: TopicForm, status: int = 200) -> HttpResponse:
        context = {**_shell(request), "form": form, "category": self.category}
        return render(request, "community/topic_create.html", context, status=status)


LOCKED_MESSAGE = (
    "This topic has been closed to new replies, so yours was not posted. Your words are below if you want to keep them."
)
HELD_MESSAGE = (
    "Thank you. A moderator reads the first posts of new members before they appear, usually within a working day. "
    "You can see it now; others will once it is approved."
)


@method_decorator(rate_limit(group="community:post-reply", rate="30/h", block=False), name="post")
@mention_limit
class TopicReplyView(LoginRequiredMixin, View):
    """The reply form on its own page: for quoting a post (?quote=<post id>), and to show a reply's errors."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        topic = permissions.topic_get_for_user(pk=pk, user=request.user)
        if not permissions.can_reply(request.user, topic):
            return _not_a_member(request)
        initial: dict[str, object] = {}
        quoted = None
        quote = request.GET.get("quote", "")
        if quote.isdigit():
            quoted = topic_selectors.topic_reply_target(topic, int(quote))
            if quoted is not None:
                initial = {"body": quote_text(quoted), "reply_to": quoted.pk}
        return self._render(request, topic, ReplyForm(initial=initial), quoted=quoted)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        topic = permissions.topic_get_for_user(pk=pk, user=request.user)
        if not permissions.can_reply(request.user, topic):
            return _not_a_member(request)
        form = ReplyForm(request.POST, request.FILES)
        reply_to = None
        if form.is_valid() and form.cleaned_data.get("reply_to"):
            reply_to = topic_selectors.topic_reply_target(topic, form.cleaned_data["reply_to"])
        if not form.is_valid():
            return self._render(request, topic, form, status=400)
        if is_limited(request):
            form.add_error(None, RATE_LIMITED_MESSAGE)
            return self._render(request, topic, form, status=429)
        data = form.cleaned_data
        try:
            post = posting.post_reply(
                author=request.user,
                topic=topic,
                body=data["body"],
                content_note=data["content_note"],
                reply_to=reply_to,
                attachment=data["attachment"],
            )
        except posting.TopicLocked:
            form.add_error(None, LOCKED_MESSAGE)
            return self._render(request, topic, form, status=409)
        if post.status == Post.Status.HELD:
            messages.info(request, HELD_MESSAGE)
        else:
            messages.success(request, "Your reply is posted.")
        return HttpResponseRedirect(post_url(post))

    def _render(
        self, request: HttpRequest, topic: Topic, form: ReplyForm, *, quoted: Post | None = None, status: int = 200
    ) -> HttpResponse:
        context = {**_shell(request), "topic": topic, "category": topic.category, "form": form, "quoted": quoted}
        return render(request, "community/topic_reply.html", context, status=status)


class PostDetailView(View):
    """A post's own address: sends the reader to its place in the topic."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        post = permissions.post_get_for_user(pk=pk, user=request.user)
        return HttpResponseRedirect(post_url(post))


class PostEditView(LoginRequiredMixin, View):
    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.post_obj = permissions.post_get_for_user(pk=int(str(kwargs["pk"])), user=request.user)
            if not permissions.can_edit_post(request.user, self.post_obj):
                raise Http404("No such post")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = self.post_obj
        initial = {"body": post.body_markdown, "content_note": post.content_note, "title": post.topic.title}
        return self._render(request, PostEditForm(initial=initial, with_title=self._with_title()))

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        form = PostEditForm(request.POST, with_title=self._with_title())
        if not form.is_valid():
            return self._render(request, form, status=400)
        data = form.cleaned_data
        post = posting.post_edit(
            post=self.post_obj,
            editor=request.user,
            body=data["body"],
            content_note=data["content_note"],
            title=data.get("title"),
        )
        messages.success(request, "Your changes are saved.")
        return HttpResponseRedirect(post_url(post))

    def _with_title(self) -> bool:
        return self.post_obj.number == 1

    def _render(self, request: HttpRequest, form: PostEditForm, status: int = 200) -> HttpResponse:
        context = {**_shell(request), "form": form, "post": self.post_obj, "topic": self.post_obj.topic}
        return render(request, "community/post_edit.html", context, status=status)


class PostDeleteView(LoginRequiredMixin, View):
    """GET asks, saying what happens; POST deletes."""

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.post_obj = permissions.post_get_for_user(pk=int(str(kwargs["pk"])), user=request.user)
            if not permissions.can_delete_post(request.user, self.post_obj):
                raise Http404("No such post")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        context = {**_shell(request), "post": self.post_obj, "topic": self.post_obj.topic}
        return render(request, "community/post_delete.html", context)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = posting.post_delete_own(post=self.post_obj)
        messages.success(request, "Your post is deleted. Its place in the conversation shows that you deleted it.")
        return HttpResponseRedirect(post_url(post))


@method_decorator(rate_limit(group="community:post-react", rate="120/h"), name="post")
class PostReactView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = permissions.post_get_for_user(pk=pk, user=request.user)
        form = ReactionForm(request.POST)
        if not form.is_valid() or not permissions.can_react(request.user, post):
            messages.info(request, "That reaction could not be given. Nothing has changed.")
            return HttpResponseRedirect(post_url(post))
        reactions.reaction_toggle(post=post, member=request.user, kind=form.cleaned_data["kind"])
        return HttpResponseRedirect(post_url(post))


class TopicAcceptView(LoginRequiredMixin, View):
    """The question's author marks (or unmarks, with no post) the reply that answered it."""

    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        topic = permissions.topic_get_for_user(pk=pk, user=request.user)
        if not permissions.can_accept_answer(request.user, topic):
            raise Http404("No such topic")
        form = AnswerForm(request.POST)
        chosen = None
        if form.is_valid() and form.cleaned_data["post"]:
            chosen = topic.posts.filter(pk=form.cleaned_data["post"]).first()
            if chosen is None:
                raise Http404("No such post")
        try:
            posting.answer_accept(topic=topic, post=chosen)
        except ValueError:
            messages.info(request, "Only a visible reply can be marked as the answer. Nothing has changed.")
            return redirect(topic)
        if chosen is not None:
            messages.success(request, "Marked as the answer. Thank you: it helps others with the same question.")
            return HttpResponseRedirect(post_url(chosen))
        messages.success(request, "The answer mark is taken away.")
        return redirect(topic)


class AttachmentDownloadView(View):
    """Files are served from here, never from MEDIA_URL, so a private group's files stay private; each is sniffed
    again, and only a picture or a PDF is ever sent."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = permissions.attachment_get_for_user(pk=pk, user=request.user)
        if attachment.kind == Attachment.Kind.PDF and uploads.is_pdf(attachment.file):
            content_type, inline = "application/pdf", False
        else:
            kind = uploads.image_format(attachment.file)
            if kind is None:
                raise Http404("No such file")
            content_type, inline = uploads.IMAGE_TYPES[kind], True
        response = FileResponse(
            attachment.file.open("rb"), content_type=content_type, as_attachment=not inline, filename=attachment.name
        )
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        return response
