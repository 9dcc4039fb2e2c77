from django.urls import path

from correspondence import feeds, views

app_name = "correspondence"
urlpatterns = [
    path("letters-from-prison/", views.post_list, name="list"),
    path("letters-from-prison/feed/", feeds.AllPostsFeed(), name="feed"),
    path("letters-from-prison/tags/<slug:slug>/", views.tag_posts, name="tag"),
    path("letters-from-prison/tags/<slug:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("letters-from-prison/cases/<slug:slug>/", views.case_posts, name="case"),
    path("letters-from-prison/cases/<slug:slug>/feed/", feeds.CaseFeed(), name="case_feed"),
    path("letters-from-prison/edit/", views.editor_home, name="editor"),
    path("letters-from-prison/edit/new/", views.post_new, name="new"),
    path("letters-from-prison/edit/<int:pk>/", views.post_edit, name="edit"),
    path("letters-from-prison/edit/<int:pk>/publish/", views.post_publish, name="publish"),
    path("letters-from-prison/replies/<int:pk>/post/", views.reply_to_post, name="reply_to_post"),
    path("letters-from-prison/<slug:slug>/", views.post_detail, name="post"),
]
