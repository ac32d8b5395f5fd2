"""Webhook endpoints with their delivery log, and the "send test" button."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from articles.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from articles.webhooks import services

SUBSCRIBABLE = [(e.value, e.label) for e in WebhookEvent if e != WebhookEvent.TEST]


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=SUBSCRIBABLE, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["site", "url", "events", "is_active", "secret"]


class DeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ("created_at", "event", "status", "attempts", "response_status", "error")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "latest deliveries"

    def get_queryset(self, request: HttpRequest) -> QuerySet[WebhookDelivery]:
        # The inline cannot slice its queryset; the full log is on the deliveries page.
        return super().get_queryset(request).order_by("-created_at", "-id")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("url", "site", "is_active", "event_list")
    readonly_fields = ("test_button",)
    list_filter = ("site", "is_active")
    inlines = [DeliveryInline]
    actions = ["send_test"]

    @admin.display(description="Events")
    def event_list(self, endpoint: WebhookEndpoint) -> str:
        return ", ".join(endpoint.events)

    @admin.display(description="Send a test")
    def test_button(self, endpoint: WebhookEndpoint) -> str:
        if endpoint.pk is None:
            return "Save the endpoint first."
        url = reverse("admin:articles_webhookendpoint_test", args=[endpoint.pk])
        # Submits the change form (with its CSRF token) to the test view, not to save.
        return format_html(
            '<button type="submit" formaction="{}" formnovalidate>Send test event</button>', url
        )

    def get_urls(self) -> list[URLPattern]:
        test = path(
            "<int:endpoint_id>/test/",
            self.admin_site.admin_view(self.send_test_view),
            name="articles_webhookendpoint_test",
        )
        return [test, *super().get_urls()]

    def send_test_view(self, request: HttpRequest, endpoint_id: int) -> HttpResponse:
        changelist = reverse("admin:articles_webhookendpoint_changelist")
        if request.method != "POST" or not self.has_change_permission(request):
            return HttpResponseRedirect(changelist)
        delivery = services.webhook_send_test(endpoint_id=endpoint_id)
        messages.success(
            request, f"Test event queued for {delivery.endpoint.url}; see its delivery log."
        )
        return HttpResponseRedirect(
            reverse("admin:articles_webhookendpoint_change", args=[endpoint_id])
        )

    @admin.action(description="Send a test event to the selected endpoints", permissions=["change"])
    def send_test(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        for endpoint_id in ids:
            services.webhook_send_test(endpoint_id=endpoint_id)
        messages.success(request, f"Test event queued for {len(ids)} endpoint(s).")

    def save_model(
        self, request: HttpRequest, obj: WebhookEndpoint, form: Any, change: bool
    ) -> None:
        services.webhook_endpoint_save(endpoint=obj)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "event",
        "endpoint",
        "status",
        "attempts",
        "response_status",
        "error",
    )
    list_filter = ("status", "event", "endpoint__site")
    list_select_related = ("endpoint",)
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
