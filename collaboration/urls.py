from django.urls import path

from .council import translation_views as council_translation_views
from .council import views as council_views
from .digest import views as digest_views
from .log import views as log_views
from .sharing import translation_views as sharing_translation_views
from .sharing import views as sharing_views
from .stats import views as stats_views

app_name = "collaboration"

urlpatterns = [
    path("collaboration/", log_views.log_list, name="log"),
    path("collaboration/new/", log_views.collaboration_create, name="create"),
    path("collaboration/quick/", log_views.quick, name="quick"),
    path("collaboration/<int:pk>/", log_views.detail, name="detail"),
    path("collaboration/<int:pk>/edit/", log_views.edit, name="edit"),
    path("collaboration/<int:pk>/answer/", log_views.answer, name="answer"),
    path("collaboration/goals/<int:pk>/judge/", log_views.goal_judge, name="goal-judge"),
    path("collaboration/map/", stats_views.map_page, name="map"),
    path("collaboration/map.csv", stats_views.map_csv, name="map-csv"),
    path("collaboration/map/summary/", stats_views.summary, name="summary"),
    path("collaboration/figures/", stats_views.figures, name="figures"),
    path("sharing/", sharing_views.board, name="sharing"),
    path("sharing/new/", sharing_views.post_create, name="sharing-create"),
    path("sharing/<int:pk>/", sharing_views.post_detail, name="sharing-detail"),
    path("sharing/<int:pk>/answer/", sharing_views.post_answer, name="sharing-answer"),
    path("sharing/<int:pk>/done/", sharing_views.post_done, name="sharing-done"),
    path("sharing/<int:pk>/withdraw/", sharing_views.post_withdraw, name="sharing-withdraw"),
    path(
        "sharing/<int:pk>/translations/",
        sharing_translation_views.post_translations,
        name="sharing-translations",
    ),
    path("council/", council_views.council, name="council"),
    path("council/members/new/", council_views.member_edit, name="council-member-create"),
    path("council/members/<int:pk>/edit/", council_views.member_edit, name="council-member-edit"),
    path("council/rules/new/", council_views.rule_create, name="rule-create"),
    path("council/rules/<int:pk>/", council_views.rule_detail, name="rule"),
    path("council/rules/<int:pk>/vote/", council_views.rule_vote, name="rule-vote"),
    path("council/rules/<int:pk>/repeal/", council_views.rule_repeal, name="rule-repeal"),
    path(
        "council/rules/<int:pk>/translations/",
        council_translation_views.rule_translations,
        name="rule-translations",
    ),
    path("council/meetings/new/", council_views.meeting_edit, name="meeting-create"),
    path("council/meetings/<int:pk>/", council_views.meeting_detail, name="meeting"),
    path("council/meetings/<int:pk>/edit/", council_views.meeting_edit, name="meeting-edit"),
    path("house-rules/", council_views.house_rules, name="house-rules"),
    path("digest/", digest_views.settings_page, name="digest-settings"),
    path("digest/preview/", digest_views.preview, name="digest-preview"),
    path("digest/send-now/", digest_views.send_now, name="digest-send-now"),
    path("digest/resend/", digest_views.resend, name="digest-resend"),
    path("digest/unsubscribe/<str:token>/", digest_views.unsubscribe, name="digest-unsubscribe"),
]
