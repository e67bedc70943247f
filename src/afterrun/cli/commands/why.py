"""`afterrun why`: the evidence behind the advice, topic by topic, with full sources."""

from __future__ import annotations

import click

from afterrun.cli.render import folded, to_json
from afterrun.core.errors import InvalidInput


@click.command()
@click.argument("topic", metavar="[TOPIC]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def why(topic: str | None, as_json: bool) -> None:
    """The evidence behind the advice: cool-down, stretching, soreness, fluids, food or load."""
    from afterrun.core.evidence import TOPICS
    from afterrun.core.sources import SOURCES

    if topic is None:
        click.echo(folded(f"Topics: {', '.join(TOPICS)}. Show one with 'afterrun why TOPIC'."))
        return
    key = topic.lower().replace(" ", "-")
    if key not in TOPICS:
        raise InvalidInput(f"no topic {topic!r}. Choose from: {', '.join(TOPICS)}.")
    findings = TOPICS[key]
    if as_json:
        click.echo(
            to_json(
                [
                    {"text": f.text, "sources": [SOURCES[s].full for s in f.sources]}
                    for f in findings
                ]
            )
        )
        return
    click.echo(f"What the research says: {key}\n")
    for finding in findings:
        click.echo(folded(f"- {finding.text}"))
        for source in finding.sources:
            click.echo(folded(f"    {SOURCES[source].full}"))
