"""bedrock-agent-runtime: Retrieve and RetrieveAndGenerate over simulated knowledge bases, and Rerank.

``vectorSearchConfiguration`` is honoured in full: ``numberOfResults``, ``filter``,
``implicitFilterConfiguration`` and ``overrideSearchType`` (query_transform.py, lexical.py), and
``rerankingConfiguration`` (rerank.py). RetrieveAndGenerate also honours
``orchestrationConfiguration.queryTransformationConfiguration`` (QUERY_DECOMPOSITION): each
sub-query is retrieved and answered on its own, and the answers are joined, one citation each.
"""

from __future__ import annotations

from typing import Any

from course.bedrock_sim import (
    agent_invoke,
    catalogue,
    data,
    families,
    flows,
    guardrails,
    knowledge_bases,
    query_transform,
    rerank,
    state,
    textmodel,
    tokens,
)
from course.bedrock_sim.protocol import Call, Reply, validation

DEFAULT_RESULTS = 5


def _search_config(params: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
    config = (params.get("retrievalConfiguration") or {}).get("vectorSearchConfiguration") or {}
    number = config.get("numberOfResults", DEFAULT_RESULTS)
    if not 1 <= number <= 100:
        raise validation("numberOfResults must be between 1 and 100.")
    return number, config.get("filter")


def _results(kb: dict[str, Any], query: str, params: dict[str, Any], region: str) -> list[dict[str, Any]]:
    """Retrieve results for ``query`` under the request's whole vectorSearchConfiguration."""
    number, flt = _search_config(params)
    config = (params.get("retrievalConfiguration") or {}).get("vectorSearchConfiguration") or {}
    implicit = config.get("implicitFilterConfiguration")
    if implicit:
        flt = query_transform.combine(flt, query_transform.implicit_filter(query, implicit, kb["chunks"], region))
    kind = knowledge_bases.search_type(kb, config.get("overrideSearchType"))
    results = knowledge_bases.search(kb, query, number, flt, kind)
    reranking = config.get("rerankingConfiguration")
    if reranking:
        results = rerank.rerank_results(results, query, reranking, region)
    return results


def retrieve(call: Call) -> Reply:
    kb = knowledge_bases.get_kb(call.params["knowledgeBaseId"])
    query = (call.params["retrievalQuery"] or {}).get("text")
    if not query:
        raise validation("retrievalQuery.text must be a non-empty string.")
    results = _results(kb, query, call.params, call.region)
    output: dict[str, Any] = {"retrievalResults": results}
    guard_config = call.params.get("guardrailConfiguration")
    if guard_config:
        _, config, _ = guardrails.lookup(guard_config["guardrailId"], guard_config["guardrailVersion"], call.region)
        outcome = guardrails.evaluate(config, "INPUT", [{"text": query}])
        output["guardrailAction"] = "INTERVENED" if outcome.blocked else "NONE"
        if outcome.blocked:
            output["retrievalResults"] = []
    return Reply(output)


def _prompt(template: str | None, results: list[dict[str, Any]], question: str) -> str:
    passages = "\n".join(
        f'<search_result index="{i + 1}">{r["content"]["text"]}</search_result>' for i, r in enumerate(results)
    )
    search_results = f"<search_results>{passages}</search_results>"
    if template:
        if "$search_results$" not in template:
            raise validation("The prompt template must contain the $search_results$ placeholder.")
        return template.replace("$search_results$", search_results).replace("$query$", question) + (
            "" if "$query$" in template else f"\nQuestion: {question}"
        )
    return (
        "You are a question answering agent. Answer using only the search results.\n"
        f"{search_results}\nQuestion: {question}"
    )


def retrieve_and_generate(call: Call) -> Reply:
    params = call.params
    question = params["input"]["text"]
    config = params.get("retrieveAndGenerateConfiguration") or {}
    if config.get("type", "KNOWLEDGE_BASE") != "KNOWLEDGE_BASE" or "knowledgeBaseConfiguration" not in config:
        raise validation("The course simulator supports retrieveAndGenerateConfiguration type KNOWLEDGE_BASE only.")
    kb_config = config["knowledgeBaseConfiguration"]
    resolved = catalogue.resolve(kb_config["modelArn"], call.region)
    if resolved.model["family"] not in families.TEXT_PARSERS:
        raise validation(f"The model {kb_config['modelArn']} can't be used for generation.")
    kb = knowledge_bases.get_kb(kb_config["knowledgeBaseId"])
    _search_config(kb_config)
    orchestration = kb_config.get("orchestrationConfiguration") or {}
    transformation = (orchestration.get("queryTransformationConfiguration") or {}).get("type")
    parts = query_transform.decompose(question) if transformation == "QUERY_DECOMPOSITION" else [question]
    st = state.get()
    session_id = params.get("sessionId") or "-".join(
        (
            st.new_id("session", 8, "0123456789abcdef"),
            st.new_id("s", 4, "0123456789abcdef"),
            st.new_id("s", 4, "0123456789abcdef"),
            st.new_id("s", 4, "0123456789abcdef"),
            st.new_id("s", 12, "0123456789abcdef"),
        )
    )
    history = st.sessions.setdefault(session_id, [])
    generation = kb_config.get("generationConfiguration") or {}
    template = (generation.get("promptTemplate") or {}).get("textPromptTemplate")
    inference = (generation.get("inferenceConfig") or {}).get("textInferenceConfig") or {}
    answered: list[tuple[str, list[dict[str, Any]]]] = []  # (answer, the results it came from)
    passages: list[str] = []
    for part in parts:
        results = _results(kb, part, kb_config, call.region)
        passages += [r["content"]["text"] for r in results if r["content"]["text"] not in passages]
        if not results:
            continue
        request = textmodel.Request(
            messages=[{"role": "user", "content": [{"text": _prompt(template, results, part)}]}],
        )
        generated = textmodel.respond_text(request)
        if generated not in data.phrasing()["noAnswer"]:
            used = [r for r in results if _supports(r["content"]["text"], generated)]
            answered.append((generated, used))
    text = " ".join(a for a, _ in answered) if answered else data.phrasing()["ragNoAnswer"]
    text, _ = tokens.truncate(text, inference.get("maxTokens", 2048))
    for stop in inference.get("stopSequences") or []:
        if stop and stop in text:
            text = text[: text.index(stop)]
    output: dict[str, Any] = {"sessionId": session_id, "output": {"text": text}}
    guard_config = generation.get("guardrailConfiguration")
    if guard_config:
        _, guard, _ = guardrails.lookup(guard_config["guardrailId"], guard_config["guardrailVersion"], call.region)
        checked = guardrails.evaluate(guard, "INPUT", [{"text": question}])
        if not checked.blocked:
            checked = guardrails.evaluate(
                guard,
                "OUTPUT",
                [
                    {"text": text, "qualifiers": ["guard_content"]},
                    {"text": " ".join(passages), "qualifiers": ["grounding_source"]},
                    {"text": question, "qualifiers": ["query"]},
                ],
            )
        output["guardrailAction"] = "INTERVENED" if checked.intervened else "NONE"
        if checked.intervened:
            output["output"]["text"] = checked.outputs[0]["text"]
            output["citations"] = []
            history.append({"question": question, "answer": output["output"]["text"]})
            return Reply(output)
    output["citations"] = _citations(text, answered)
    history.append({"question": question, "answer": text})
    return Reply(output)


def _supports(passage: str, answer: str) -> bool:
    """Whether the answer came from ``passage``: a sentence of one stands whole in the other
    (white space ignored; passage sentences need 3+ words, so a bare heading does not count)."""
    flat_passage, flat_answer = " ".join(passage.split()), " ".join(answer.split())
    if any(" ".join(s.split()) in flat_passage for s in tokens.sentences(answer)):
        return True
    return any(len(s.split()) >= 3 and " ".join(s.split()) in flat_answer for s in tokens.sentences(passage))


def _citations(text: str, answered: list[tuple[str, list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    """One citation per answered part (the whole text when there is one part or none)."""
    if len(answered) <= 1:
        used = answered[0][1] if answered else []
        spans = [(text, 0, used)]
    else:
        spans, offset = [], 0
        for answer, used in answered:
            start = text.find(answer[: max(1, min(len(answer), len(text) - offset))], offset)
            if start < 0 or start >= len(text):
                break
            piece = text[start : start + len(answer)]
            spans.append((piece, start, used))
            offset = start + len(piece)
    return [
        {
            "generatedResponsePart": {
                "textResponsePart": {"text": piece, "span": {"start": start, "end": max(start + len(piece) - 1, 0)}}
            },
            "retrievedReferences": [
                {"content": r["content"], "location": r["location"], "metadata": r["metadata"]} for r in used
            ],
        }
        for piece, start, used in spans
    ]


OPERATIONS = {
    "Retrieve": retrieve,
    "RetrieveAndGenerate": retrieve_and_generate,
    **rerank.OPERATIONS,
    **agent_invoke.OPERATIONS,  # InvokeAgent, GetAgentMemory, DeleteAgentMemory (agent_invoke.py)
    **flows.RUNTIME_OPERATIONS,  # InvokeFlow (flows.py)
}
