from django.urls import path

from community.caching import FORUM_CACHE, MEMBER_CACHE
from community.views import (
    flagging,
    forum,
    groups,
    joining,
    moderation,
    moderation_topics,
    people,
    posting,
    search,
    watching,
)
from portal.cache import public_page
from portal.member_pages import member_page

app_name = "community"
# Signed out, the reading pages (each query string: a page of topics or posts, a search) are cached whole until the
# forum changes (community/caching.py). Signed in, each member's own page is kept for them until the forum, their
# standing in it or their account changes, or they post anything (portal/member_pages.py).
_public = public_page(FORUM_CACHE, vary_on_query=True)
_member = member_page(FORUM_CACHE, personal_namespaces=(MEMBER_CACHE,))


def public(view):
    return _public(_member(view))


urlpatterns = [
    path("", public(forum.FrontPageView.as_view()), name="landing"),
    path("guidelines/", joining.GuidelinesView.as_view(), name="guidelines"),
    path("read-all/", forum.MarkAllReadView.as_view(), name="mark-all-read"),
    path("join/", joining.JoinView.as_view(), name="join"),
    path("join/guidelines/", joining.JoinGuidelinesView.as_view(), name="join-guidelines"),
    path("join/waiting/", joining.JoinPendingView.as_view(), name="join-pending"),
    path("profile/", joining.ProfileEditView.as_view(), name="profile-edit"),
    path("c/<slug:slug>/", public(forum.CategoryDetailView.as_view()), name="category-detail"),
    path("c/<slug:slug>/new/", posting.TopicCreateView.as_view(), name="topic-create"),
    path("t/<int:pk>/", public(forum.TopicDetailView.as_view()), name="topic-detail"),
    path("t/<int:pk>/reply/", posting.TopicReplyView.as_view(), name="topic-reply"),
    path("t/<int:pk>/answer/", posting.TopicAcceptView.as_view(), name="topic-accept"),
    path("p/<int:pk>/", posting.PostDetailView.as_view(), name="post-detail"),
    path("p/<int:pk>/edit/", posting.PostEditView.as_view(), name="post-edit"),
    path("p/<int:pk>/delete/", posting.PostDeleteView.as_view(), name="post-delete"),
    path("p/<int:pk>/react/", posting.PostReactView.as_view(), name="post-react"),
    path("files/<int:pk>/", posting.AttachmentDownloadView.as_view(), name="attachment-download"),
    path("groups/", groups.GroupListView.as_view(), name="group-list"),
    path("groups/<slug:slug>/", groups.GroupDetailView.as_view(), name="group-detail"),
    path("groups/<slug:slug>/join/", groups.GroupJoinView.as_view(), name="group-join"),
    path("groups/<slug:slug>/leave/", groups.GroupLeaveView.as_view(), name="group-leave"),
    path("group-requests/<int:pk>/", groups.GroupRequestDecideView.as_view(), name="group-request-decide"),
    path("members/", people.MemberListView.as_view(), name="member-list"),
    path("members/suggest/", people.MemberSuggestView.as_view(), name="member-suggest"),
    path("members/<int:pk>/", people.MemberDetailView.as_view(), name="member-detail"),
    path("members/<int:pk>/mute-or-block/", people.MemberBlockView.as_view(), name="member-block"),
    # Moderation (community/views/flagging.py, moderation.py, moderation_topics.py)
    path("p/<int:pk>/flag/", flagging.PostFlagView.as_view(), name="post-flag"),
    path("moderation/", moderation.ModerationQueueView.as_view(), name="moderation-queue"),
    path("moderation/waiting/", moderation.ModerationWaitingView.as_view(), name="moderation-waiting"),
    path("moderation/suspended/", moderation.ModerationSuspendedView.as_view(), name="moderation-suspended"),
    path("moderation/log/", moderation.ModerationLogView.as_view(), name="moderation-log"),
    path("moderation/settings/", moderation.ModerationSettingsView.as_view(), name="moderation-settings"),
    path("moderation/p/<int:pk>/", moderation.ModerationPostView.as_view(), name="moderation-post"),
    path("moderation/p/<int:pk>/edit/", moderation.ModerationPostEditView.as_view(), name="moderation-post-edit"),
    path("moderation/t/<int:pk>/", moderation_topics.ModerationTopicView.as_view(), name="moderation-topic"),
    path("moderation/t/<int:pk>/split/", moderation_topics.ModerationTopicSplitView.as_view(), name="moderation-split"),
    path("moderation/members/<int:pk>/", moderation.ModerationMemberView.as_view(), name="moderation-member"),
    path("t/<int:pk>/notifications/", watching.TopicWatchView.as_view(), name="topic-watch"),
    path("c/<slug:slug>/notifications/", watching.CategoryWatchView.as_view(), name="category-watch"),
    path("search/", public(search.SearchView.as_view()), name="search"),
]
