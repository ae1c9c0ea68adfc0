"""Bytes of HTML + CSS + JS a lesson page costs, and what it would fetch from other hosts.

Issue #8 item 8: at most 100 KB uncompressed, images left out, and no
third-party requests. The resources counted are those the browser fetches
on its own: stylesheets, scripts and icons in the HTML, and url()/@import in
the CSS. Links (<a href>) are not requests and are not counted.
"""

import re
from urllib.parse import urljoin, urlsplit

from django.test import Client

LIMIT_BYTES = 100 * 1024
FETCHED = re.compile(
    r"<(?:link|script|img|iframe|source|video|audio|track|embed|object)\b[^>]*?"
    r"\b(?:href|src|data|poster)=[\"']([^\"']+)[\"']",
    re.IGNORECASE,
)
CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]+)[\"']?\s*\)|@import\s+[\"']([^\"']+)[\"']")
IMAGE = re.compile(r"\.(?:svg|png|jpe?g|gif|webp|avif|ico)(?:\?|$)", re.IGNORECASE)
OWN_HOSTS = {"", "testserver", "127.0.0.1", "localhost"}


def _is_own(url):
    return urlsplit(url).hostname in OWN_HOSTS or urlsplit(url).hostname is None


def weigh(client, url):
    """{'html': n, 'css': n, 'js': n, 'third_party': [...], 'images': [...]} for one page."""
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    html = response.content.decode()
    weights = {"html": len(response.content), "css": 0, "js": 0}
    third_party, images, seen = [], [], set()
    queue = [(urljoin(url, found), "html") for found in FETCHED.findall(html)]
    while queue:
        resource, found_in = queue.pop(0)
        if resource.startswith("data:") or resource in seen:
            continue
        seen.add(resource)
        if not _is_own(resource):
            third_party.append(resource)
            continue
        if IMAGE.search(resource):
            images.append(resource)
            continue
        fetched = client.get(urlsplit(resource).path)
        body = b"".join(fetched) if fetched.streaming else fetched.content
        if fetched.status_code != 200:
            raise RuntimeError(f"{resource}: HTTP {fetched.status_code}")
        kind = "css" if resource.split("?")[0].endswith(".css") else "js"
        weights[kind] += len(body)
        if kind == "css":
            for plain, imported in CSS_URL.findall(body.decode()):
                queue.append((urljoin(resource, plain or imported), "css"))
    return {**weights, "third_party": third_party, "images": images}


def run(ctx):
    client = Client()
    client.force_login(ctx.fixtures.rep)
    result = weigh(client, ctx.fixtures.large_lesson.url)
    total = result["html"] + result["css"] + result["js"]
    return [
        {
            "section": "page weight",
            "measure": "Lesson page, HTML + CSS + JS (uncompressed)",
            "bytes": total,
            "html_bytes": result["html"],
            "css_bytes": result["css"],
            "js_bytes": result["js"],
            "images_left_out": result["images"],
            "third_party": result["third_party"],
            "target": "<= 100 KB, no third-party requests",
            "ok": total <= LIMIT_BYTES and not result["third_party"],
        }
    ]
