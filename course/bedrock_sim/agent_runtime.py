"""bedrock-agent-runtime: Retrieve and RetrieveAndGenerate over simulated knowledge bases."""

from __future__ import annotations

from typing import Any

from course.bedrock_sim import (
    catalogue,
    data,
    families,
    guardrails,
    knowledge_bases,
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


def retrieve(call: Call) -> Reply:
    kb = knowledge_bases.get_kb(call.params["knowledgeBaseId"])
    query = (call.params["retrievalQuery"] or {}).get("text")
    if not query:
        raise validation("retrievalQuery.text must be a non-empty string.")
    number, flt = _search_config(call.params)
    results = knowledge_bases.search(kb, query, number, flt)
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
    number, flt = _search_config(kb_config)
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
    results = knowledge_bases.search(kb, question, number, flt)
    generation = kb_config.get("generationConfiguration") or {}
    template = (generation.get("promptTemplate") or {}).get("textPromptTemplate")
    inference = (generation.get("inferenceConfig") or {}).get("textInferenceConfig") or {}
    passages = [r["content"]["text"] for r in results]
    answer = None
    if results:
        request = textmodel.Request(
            messages=[{"role": "user", "content": [{"text": _prompt(template, results, question)}]}],
        )
        generated = textmodel.respond_text(request)
        answer = None if generated in data.phrasing()["noAnswer"] else generated
    used = [i for i, p in enumerate(passages) if answer and any(s in p for s in tokens.sentences(answer))]
    text = answer if answer is not None else data.phrasing()["ragNoAnswer"]
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
    references = [
        {
            "content": results[i]["content"],
            "location": results[i]["location"],
            "metadata": results[i]["metadata"],
        }
        for i in used
    ]
    output["citations"] = [
        {
            "generatedResponsePart": {
                "textResponsePart": {"text": text, "span": {"start": 0, "end": max(len(text) - 1, 0)}}
            },
            "retrievedReferences": references,
        }
    ]
    history.append({"question": question, "answer": text})
    return Reply(output)


OPERATIONS = {"Retrieve": retrieve, "RetrieveAndGenerate": retrieve_and_generate}
