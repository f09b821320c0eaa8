"""How the app looks and which language its frame speaks: one fixed light theme whose text
keeps at least 4.5:1 contrast (WCAG AA) whatever the OS dark-mode setting, a layout that
works at phone width (390 px), the script that makes an answer's [n] open its own source
card, and the page served in Swedish whatever the browser's language.

Why fixed light: Gradio's dark mode follows the OS, and custom HTML (banner, cards) would
need a second palette; one checked palette is what the accessibility test can hold us to.
"""

from __future__ import annotations

import json

import gradio as gr

# Colours (text on background, contrast by WCAG 2.1's formula):
# #1f2933 on #ffffff 14.7:1 · #3d4a57 on #f4f7fb 8.6:1 · #6b3e00 on #fff4d6 8.0:1
# #0b4f9c on #ffffff 8.1:1 (links) · #ffffff on #0b4f9c 8.1:1 (primary button)
CSS = """
:root, .dark {color-scheme: light;}
.banner {border-radius: 8px; padding: 6px 12px; background: #eef5ff; color: #1f2933;}
.banner * {color: #1f2933 !important;}
.banner a {color: #0b4f9c !important;}
.svar .svartext {margin: 0 0 6px 0;}
.svarstabell {border-collapse: collapse; margin: 4px 0 8px 0; color: #1f2933;}
.svarstabell th, .svarstabell td {border: 1px solid #c9d3dd; padding: 3px 8px; text-align: left;}
.svarstabell th {background: #f4f7fb;}
.sidbild {margin: 6px 0 12px 0;}
.sidbild img {max-width: 100%; border: 1px solid #c9d3dd;}
.sidbild figcaption {color: #3d4a57; font-size: 0.9em;}
a.kallref {color: #0b4f9c; font-weight: 600; text-decoration: underline; cursor: pointer;}
details.kallor {margin-top: 6px;}
details.kallor summary {cursor: pointer; color: #1f2933; font-weight: 600;}
.kallkort {border: 1px solid #c9d3dd; border-radius: 8px; padding: 8px 12px; margin: 6px 0;
  background: #f4f7fb; color: #1f2933;}
.kallkort.vald {outline: 3px solid #0b4f9c; background: #e8f0fb;}
.kallkort .kallrubrik {font-weight: 600; color: #1f2933;}
.kallkort .kallplats {color: #3d4a57; font-size: 0.9em;}
.kallkort blockquote {margin: 6px 0; padding-left: 10px; border-left: 3px solid #5a7896; color: #1f2933;}
.kallkort a.oppna-dokument {color: #0b4f9c; text-decoration: underline;}
mark {background: #ffe58a; color: #1f2933; padding: 0 1px;}
.skrivare {border-left: 4px solid #4a7ab5; background: #eef4fb; color: #1f2933; padding: 6px 10px;
  margin: 6px 0;}
.avstar {border: 1px solid #b38300; background: #fff4d6; color: #6b3e00; border-radius: 8px;
  padding: 8px 12px;}
.nasta-steg {color: #1f2933;}
.dokumentvy {max-height: 520px; overflow-y: auto; border: 1px solid #c9d3dd; border-radius: 8px;
  padding: 8px 14px; background: #ffffff; color: #1f2933;}
.dokumentvy section {white-space: pre-wrap; margin: 8px 0;}
.dokumentvy section.citerad {background: #eef5ff; border-left: 4px solid #3b7dd8; padding-left: 8px;}
.dokumentvy .kallplats {color: #3d4a57;}
.pdfsida {max-width: 100%; border: 1px solid #c9d3dd;}
/* Phone width: tables scroll sideways with readable columns instead of wrapping one
   letter per line (the tabs wrap onto rows: gr.Tabs(overflow_behavior="wrap")). */
#tabell-beslut table, #tabell-aktorer table, #tabell-dokument table {min-width: 720px;}
#tabell-beslut .table-wrap, #tabell-aktorer .table-wrap, #tabell-dokument .table-wrap {
  overflow-x: auto !important;}
"""

# Gradio's JavaScript client writes these in English whatever the page's language (its
# Swedish translation has no entry for them); the first is what a user sees when the worker
# answering them dies mid-answer (tried in Chromium: a partial answer and this toast). The
# client then retries every 2 s and reloads the page once a server answers (another worker
# behind nginx): the chat starts empty and the stored conversation is in "Dina samtal".
TOAST_SWEDISH = {
    "Connection to the server was lost. Attempting reconnection...": "Anslutningen till servern "
    "bröts. Sidan laddas om när servern svarar igen; ditt samtal finns kvar under "
    "”Dina samtal”. Ett svar som var på väg kan ha blivit avbrutet: ställ frågan igen.",
    "Connection errored out.": "Anslutningen till servern bröts innan svaret kom. "
    "Ställ frågan igen om en stund.",
    "This application is currently busy. Please try again.": "Appen är upptagen just nu. "
    "Försök igen om en stund.",
    "Error": "Fel",
    "Warning": "Varning",
}

# Runs once when the page loads. Event delegation on the document, since answers arrive
# later: a click on [n] opens the answer's own card n (and only that answer's); a click on
# "Visa i dokumentet" clicks the hidden button whose event sends window.kallref. The
# references are class names ("ref-2-1", "kalla-2-1"): the chat's sanitiser drops data-*.
# A toast's English title and message from Gradio's client (TOAST_SWEDISH) are put in
# Swedish as they appear, and its close button named "Stäng".
JS = """
() => {
  const swedish = new Map(Object.entries(__TOAST_SWEDISH__));
  const translate = () => {
    const toasts = document.querySelectorAll('[data-testid="toast-body"]');  // none while answers stream
    toasts.forEach((toast) => {
      toast.querySelectorAll('.toast-title, [data-testid="toast-text"]').forEach((element) => {
        element.childNodes.forEach((node) => {
          const text = node.nodeType === Node.TEXT_NODE && swedish.get(node.nodeValue.trim());
          if (text) node.nodeValue = text;
        });
      });
      const close = toast.querySelector('[aria-label="Close"]');
      if (close) close.setAttribute('aria-label', 'Stäng');
    });
  };
  const watched = {childList: true, subtree: true, characterData: true};
  new MutationObserver(translate).observe(document.body, watched);
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a.kallref, a.oppna-dokument');
    if (!link) return;
    event.preventDefault();
    const ref = [...link.classList].find((c) => c.startsWith('ref-')).slice(4);
    if (link.classList.contains('oppna-dokument')) {
      window.kallref = ref;
      document.querySelector('#oppna-kalla')?.click();
      return;
    }
    const bubble = link.closest('.svar');
    const card = bubble && bubble.querySelector(`.kallkort.kalla-${ref}`);
    if (!card) return;
    document.querySelectorAll('.kallkort.vald').forEach((c) => c.classList.remove('vald'));
    const details = card.closest('details');
    if (details) details.open = true;
    card.classList.add('vald');
    card.scrollIntoView({block: 'nearest'});
    card.focus({preventScroll: true});
  });
}
""".replace("__TOAST_SWEDISH__", json.dumps(TOAST_SWEDISH, ensure_ascii=False))


def theme() -> gr.themes.Base:
    """Gradio's default theme with a blue primary colour and darker secondary text: the
    default's orange button (2.8:1 with white) and grey help text (2.5:1) fail WCAG AA."""
    return gr.themes.Default(primary_hue="blue").set(
        body_text_color_subdued="#3d4a57",
        block_info_text_color="#3d4a57",
        block_label_text_color="#1f2933",
        block_title_text_color="#1f2933",
        input_placeholder_color="#5b6673",
        button_primary_background_fill="#0b4f9c",
        button_primary_background_fill_hover="#093f7c",
        button_primary_text_color="#ffffff",
        button_secondary_text_color="#1f2933",
        link_text_color="#0b4f9c",
        link_text_color_visited="#0b4f9c",
        link_text_color_hover="#093f7c",
    )


class SwedishLightPage:
    """ASGI middleware for the app's HTML pages (the chat and, before login, the login form):
    the page is in Swedish (``lang="sv"``, and Gradio's own words picked from its Swedish
    translation whatever the browser's language) and always in the light theme.

    Gradio picks its language from ``navigator.language`` and its theme from the OS unless
    ``<gradio-app theme_mode=...>`` says otherwise; both are set here, in the served HTML,
    before any of Gradio's scripts runs.
    """

    _LANGUAGE = (
        "<head><script>"
        "Object.defineProperty(Navigator.prototype, 'language', {get: () => 'sv-SE'});"
        "Object.defineProperty(Navigator.prototype, 'languages', {get: () => ['sv-SE', 'sv']});"
        "</script>"
    )

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].endswith("/"):
            await self.app(scope, receive, send)
            return
        start: dict = {}
        body: list[bytes] = []

        async def capture(message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            content = b"".join(body)
            if any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers):
                content = self.rewrite(content.decode("utf-8")).encode("utf-8")
            headers.append((b"content-length", str(len(content)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": content})

        await self.app(scope, receive, capture)

    @classmethod
    def rewrite(cls, html: str) -> str:
        """The Gradio page in Swedish and light: the three edits, each made once."""
        return (
            html.replace('lang="en"', 'lang="sv"', 1)
            .replace("<head>", cls._LANGUAGE, 1)
            .replace("<gradio-app", '<gradio-app theme_mode="light"', 1)
        )
