#!/usr/bin/env python3
"""Generate a deterministic synthetic book for the benchmark.

Usage: bench/corpus.py PAGES OUT_DIR

Writes under OUT_DIR:
  single/     an mdBook-format book (book.toml, src/SUMMARY.md, src/chNNNN.md), built
              by both mdBook and folio;
  bilingual/  the same pages as French and English twins (content/fr, content/en), for
              folio's bilingual build;
  hugo/       the English pages as a Hugo site (front matter title and weight, a minimal
              layout around the page content, build-time highlighting with classes).
Each page has headings, lists, a table, footnotes, links to other chapters and about 30%
of its lines in fenced code (YAML, HCL, shell, PHP, JSON); about 9 KB of markdown per page.
The same PAGES always gives the same bytes (a fixed-seed generator, no clock).
"""

import os
import random
import sys

WORDS_FR = (
    "migration cluster kubernetes réseau service plateforme trafic cloud déploiement "
    "instance équipe nuit base données vidéo catalogue bascule latence stockage région "
    "compte facture alerte sauvegarde volume certificat"
).split()
WORDS_EN = (
    "migration cluster kubernetes network service platform traffic cloud deployment "
    "instance team night database data video catalogue cutover latency storage region "
    "account invoice alert backup volume certificate"
).split()

CODE = {
    "yaml": lambda r, i: "\n".join(
        [
            "apiVersion: apps/v1",
            "kind: Deployment",
            "metadata:",
            f"  name: service-{i}",
            "spec:",
            f"  replicas: {r.randint(2, 12)}",
            "  template:",
            "    spec:",
            "      containers:",
            f"        - name: app-{i}",
            f"          image: registry.example.org/app:{r.randint(1, 99)}.{r.randint(0, 9)}",
            "          resources:",
            f"            limits: {{ cpu: \"{r.randint(1, 4)}\", memory: {r.randint(1, 8)}Gi }}",
        ]
    ),
    "hcl": lambda r, i: "\n".join(
        [
            f'resource "aws_db_instance" "catalogue_{i}" {{',
            '  engine         = "mysql"',
            f'  instance_class = "db.r5.{r.choice(["large", "xlarge", "2xlarge"])}"',
            f"  allocated_storage = {r.randint(100, 2000)}",
            "  multi_az       = true",
            "  tags = {",
            f'    team = "platform-{i % 7}"',
            "  }",
            "}",
        ]
    ),
    "shell": lambda r, i: "\n".join(
        [
            "#!/usr/bin/env bash",
            "set -euo pipefail",
            f"kubectl -n vod-{i % 5} rollout status deploy/app-{i}",
            f"aws s3 sync s3://vod-assets-{i} /mnt/assets --delete",
            'for pod in $(kubectl get pods -o name); do echo "$pod"; done',
            f"terraform plan -out plan-{i}.tfplan",
        ]
    ),
    "php": lambda r, i: "\n".join(
        [
            "<?php",
            f"final class Catalogue{i}",
            "{",
            "    public function find(int $id): ?array",
            "    {",
            f"        $row = $this->db->fetch('SELECT * FROM videos WHERE id = ?', [$id]);",
            f"        return $row ?: null; // {r.choice(WORDS_EN)}",
            "    }",
            "}",
        ]
    ),
    "json": lambda r, i: "\n".join(
        [
            "{",
            f'  "service": "app-{i}",',
            f'  "replicas": {r.randint(1, 20)},',
            f'  "regions": ["eu-west-1", "eu-west-3"],',
            f'  "healthcheck": {{ "path": "/health", "interval": {r.randint(5, 60)} }}',
            "}",
        ]
    ),
}


def sentence(r, words):
    text = " ".join(r.choice(words) for _ in range(r.randint(8, 18)))
    return text[0].upper() + text[1:] + "."


def paragraph(r, words):
    return " ".join(sentence(r, words) for _ in range(r.randint(3, 6)))


def page(number, pages, words, lang):
    """One chapter: same structure in both languages (same seed), different words."""
    r = random.Random(number)
    heading = "Chapitre" if lang == "fr" else "Chapter"
    out = [f"# {heading} {number}", "", paragraph(r, words), ""]
    for section in range(1, 5):
        out += [f"## {heading} {number}.{section}", "", paragraph(r, words), ""]
        target = r.randint(1, pages)
        out += [
            f"{sentence(r, words)} [{heading} {target}](ch{target:04}.md)"
            f"[^n{section}]",
            "",
        ]
        out += [f"- {sentence(r, words)}" for _ in range(r.randint(4, 8))] + [""]
        lang_name = r.choice(sorted(CODE))
        out += [f"```{lang_name}", CODE[lang_name](r, number * 10 + section), "```", ""]
        out += ["| Service | Replicas | Region |", "|---|---:|---|"]
        out += [
            f"| {r.choice(words)} | {r.randint(1, 40)} | eu-west-{r.randint(1, 3)} |"
            for _ in range(4)
        ] + [""]
        out += [paragraph(r, words), ""]
    out += [f"[^n{s}]: {sentence(r, words)}" for s in range(1, 5)] + [""]
    return "\n".join(out)


def summary(pages, lang):
    heading = "Chapitre" if lang == "fr" else "Chapter"
    lines = ["# Summary", ""]
    lines += [f"- [{heading} {n}](ch{n:04}.md)" for n in range(1, pages + 1)]
    return "\n".join(lines) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def hugo_site(out):
    """Hugo's configuration and the smallest layouts that show each page's content."""
    write(
        f"{out}/hugo/hugo.toml",
        'baseURL = "http://example.org/"\ntitle = "Synthetic"\nlanguageCode = "en"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n\n'
        "[markup.highlight]\ncodeFences = true\nnoClasses = false\n\n"
        "[markup.goldmark.renderer]\nunsafe = true\n",
    )
    page_layout = (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>{{ .Title }}</title></head>\n<body><main>{{ .Content }}</main></body>\n</html>\n"
    )
    list_layout = (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>{{ .Title }}</title></head>\n<body><ul>{{ range .Pages }}"
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body>\n</html>\n'
    )
    write(f"{out}/hugo/layouts/_default/single.html", page_layout)
    write(f"{out}/hugo/layouts/_default/list.html", list_layout)
    write(f"{out}/hugo/layouts/index.html", list_layout)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: bench/corpus.py PAGES OUT_DIR")
    pages, out = int(sys.argv[1]), sys.argv[2]
    write(
        f"{out}/single/book.toml",
        '[book]\ntitle = "Synthetic"\nlanguage = "en"\nsrc = "src"\n\n'
        "[output.html]\n",
    )
    write(f"{out}/single/src/SUMMARY.md", summary(pages, "en"))
    write(
        f"{out}/bilingual/book.toml",
        '[book]\ntitle = "Synthétique"\nsrc = "content"\n\n'
        '[language.fr]\ntitle = "Synthétique"\nsource = true\n\n'
        '[language.en]\ntitle = "Synthetic"\n',
    )
    for lang, words in (("fr", WORDS_FR), ("en", WORDS_EN)):
        write(f"{out}/bilingual/content/{lang}/SUMMARY.md", summary(pages, lang))
    hugo_site(out)
    for n in range(1, pages + 1):
        english = page(n, pages, WORDS_EN, "en")
        write(
            f"{out}/hugo/content/ch{n:04}.md",
            f'+++\ntitle = "Chapter {n}"\nweight = {n}\n+++\n\n{english}',
        )
        write(f"{out}/single/src/ch{n:04}.md", english)
        write(f"{out}/bilingual/content/en/ch{n:04}.md", english)
        write(f"{out}/bilingual/content/fr/ch{n:04}.md", page(n, pages, WORDS_FR, "fr"))


if __name__ == "__main__":
    main()
