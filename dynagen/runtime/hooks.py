"""botocore's events on the direct path: the handlers registered on a client, called as botocore calls them.

Users hook a boto3 client through its event system (`client.meta.events.register(...)`):
tracing and metrics (`before-call`, `after-call`), request recorders and stubs (`before-send`),
header injection (`request-created`), parameter rewriting (`provide-client-params`,
`before-parameter-build`). The direct transport emits those events itself (transport.py), in
botocore's order and with botocore's arguments. botocore registers its own handlers on some of
them; those whose work the direct transport does itself (SigV4 signing, the User-Agent, the
`amz-sdk-*` headers, the recursion-detection header, its own retry decisions and quota, which
dynagen's RetryPolicy replaces) are left out here (`is_replaced`), so an event that has no other
handler costs one dictionary look-up and nothing is built for it.

The handler lists come from botocore's emitter (its prefix trie, with its aliases), recomputed
whenever a handler is registered or unregistered (botocore replaces its lookup cache then);
tests/runtime/test_hooks.py holds that the installed botocore still works this way.
"""

from __future__ import annotations

from typing import Any, Callable

from botocore import handlers as botocore_handlers
from botocore import retryhandler
from botocore.retries import standard
from botocore.signers import RequestSigner
from botocore.useragent import UserAgentString

Handler = Callable[..., Any]

# botocore's own handlers whose work the direct transport does itself, or that decide what
# dynagen decides (retries): never called on the direct path.
_REPLACED: frozenset[object] = frozenset(
    {
        RequestSigner.handler,  # request-created: SigV4 (transport.Signer, or SigV4Auth)
        UserAgentString.rebuild_and_replace_user_agent_handler,  # request-created: User-Agent
        standard.MaxAttemptsSeeder.seed_max_attempts,  # request-created: the `max` of amz-sdk-request
        botocore_handlers.add_retry_headers,  # request-created: amz-sdk-invocation-id, amz-sdk-request
        botocore_handlers.add_recursion_detection_header,  # before-call: X-Amzn-Trace-Id
        botocore_handlers.inject_api_version_header_if_needed,  # before-call: endpoint discovery only
        standard.RetryHandler.needs_retry,  # needs-retry: botocore's retries (off: RetryPolicy)
        standard.RetryQuotaChecker.release_retry_quota,  # after-call: botocore's retry quota
    }
)


def is_replaced(handler: Handler) -> bool:
    """Whether `handler` is one of botocore's own that the direct path does without."""
    if getattr(handler, "__func__", handler) in _REPLACED:
        return True
    return isinstance(handler, retryhandler.RetryHandler)  # legacy retry mode's handler


def is_signer(handler: Handler) -> bool:
    return getattr(handler, "__func__", None) is RequestSigner.handler


class Hooks:
    """The handlers of one client's events, looked up as botocore's emitter looks them up.

    `handlers(name)` gives the handlers to call for an event, botocore's replaced ones left out
    (empty: emit nothing); `every(name)` gives all of them in order (request-created needs to
    know where botocore's signer stands). `call` calls them as `emit` does.
    """

    __slots__ = ("_events", "_emitter", "_seen", "_found", "_groups")

    def __init__(self, events: Any) -> None:
        emitter = getattr(events, "_emitter", events)  # an EventAliaser wraps the emitter
        if not hasattr(emitter, "_lookup_cache") or not hasattr(emitter, "_handlers"):
            raise TypeError(f"not a botocore HierarchicalEmitter: {emitter!r}")
        self._events = events
        self._emitter = emitter
        self._seen: object = None  # the emitter's lookup cache our lists were computed against
        self._found: dict[str, tuple[tuple[Handler, ...], tuple[Handler, ...], str]] = {}
        self._groups: dict[tuple[str, ...], tuple[tuple[Handler, ...], ...]] = {}

    def _fresh(self) -> None:
        current = self._emitter._lookup_cache
        if current is not self._seen:  # a handler was registered or unregistered since
            self._found = {}
            self._groups = {}
            self._seen = current

    def group(self, event_names: tuple[str, ...]) -> tuple[tuple[Handler, ...], ...]:
        """`handlers(name)` for each of `event_names`, in one look-up (one per request)."""
        self._fresh()
        found = self._groups.get(event_names)
        if found is None:
            found = self._groups[event_names] = tuple(self.handlers(n) for n in event_names)
        return found

    def _lookup(self, event_name: str) -> tuple[tuple[Handler, ...], tuple[Handler, ...], str]:
        self._fresh()
        entry = self._found.get(event_name)
        if entry is None:
            alias = getattr(self._events, "_alias_event_name", None)
            name = alias(event_name) if alias is not None else event_name
            every = tuple(self._emitter._handlers.prefix_search(name))
            entry = (tuple(h for h in every if not is_replaced(h)), every, name)
            self._found[event_name] = entry
        return entry

    def handlers(self, event_name: str) -> tuple[Handler, ...]:
        return self._lookup(event_name)[0]

    def every(self, event_name: str) -> tuple[Handler, ...]:
        return self._lookup(event_name)[1]

    def call(
        self,
        handlers: tuple[Handler, ...],
        event_name: str,
        *,
        until_response: bool = False,
        **kwargs: Any,
    ) -> list[tuple[Handler, Any]]:
        """Call `handlers` as botocore's emit does: keyword arguments plus `event_name`, every
        (handler, response) returned, stopping at the first response with `until_response`."""
        kwargs["event_name"] = self._lookup(event_name)[2]
        responses = []
        for handler in handlers:
            response = handler(**kwargs)
            responses.append((handler, response))
            if until_response and response is not None:
                break
        return responses


def first_response(responses: list[tuple[Handler, Any]], default: Any = None) -> Any:
    """The first response that is not None, as botocore's `first_non_none_response`."""
    return next((response for _, response in responses if response is not None), default)
