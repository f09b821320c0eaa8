"""The one settings object: environment variables prefixed ``ASSISTANT_`` and an optional TOML file.

Every default works offline on a laptop. No other module reads the environment.
The TOML file is ``assistant.toml`` in the working directory, or the file named by
``ASSISTANT_CONFIG_FILE``; environment variables win over it.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from kbcore.access import ACCESS_LEVELS, AccessLevel  # ACCESS_LEVELS is also read from here
from kbcore.tuning import (
    AbstentionSettings,
    ExtractiveSettings,
    FollowupSettings,
    FusionSettings,
    GenerationSettings,
    VerifierSettings,
)

DEFAULT_CACHE_DIR = Path.home() / ".cache" / "plattformsassistenten"


# Flat names of the fields that moved into the groups: set, they would be ignored silently.
_MOVED = {
    "ASSISTANT_CANDIDATES": "ASSISTANT_FUSION__CANDIDATES",
    "ASSISTANT_TOP_K": "ASSISTANT_FUSION__TOP_K",
    "ASSISTANT_LLM_PASSAGES": "ASSISTANT_GENERATION__PASSAGES",
    "ASSISTANT_LLM_TEMPERATURE": "ASSISTANT_GENERATION__TEMPERATURE",
    "ASSISTANT_LLM_MAX_TOKENS": "ASSISTANT_GENERATION__MAX_TOKENS",
} | {
    f"ASSISTANT_{old}_{field}": f"ASSISTANT_{new}__{field}"
    for old, new, fields in (
        ("FUSION", "FUSION", ("COVERAGE_THRESHOLD", "BM25_WEIGHT_MATCHED", "BM25_WEIGHT_PARAPHRASE")),
        ("ABSTAIN", "ABSTENTION", ("STRONG_SIMILARITY", "WEAK_SIMILARITY", "MAX_UNKNOWN_SHARE",
                                   "FAMILIAR_SIMILARITY", "FAMILIAR_UNKNOWN_SHARE", "ENGLISH_SIMILARITY")),
        ("VERIFY", "VERIFIER", ("MIN_SUPPORT", "MIN_SIMILARITY", "MIN_KEPT")),
    )
    for field in fields
}  # fmt: skip


def _config_file() -> Path:
    return Path(os.environ.get("ASSISTANT_CONFIG_FILE", "assistant.toml"))


class Settings(BaseSettings):
    """Paths, models, backends, the access model and the answer groups.

    The tuned numbers live in the nested groups of ``kbcore.tuning`` (``fusion``,
    ``abstention``, ``extractive``, ``verifier``, ``followups``, ``generation``); each field's
    description names the set and the measurement that chose it, or says "Not tuned". From the
    environment a group field is
    ``ASSISTANT_<GROUP>__<FIELD>``, e.g. ``ASSISTANT_ABSTENTION__STRONG_SIMILARITY=0.5``.
    """

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_nested_delimiter="__", extra="ignore")

    corpus_dir: Path = Field(Path("corpus"), description="Folder ingested when no path is given.")
    index_dir: Path = Field(Path(".index"), description="Folder of the embedded Chroma store.")
    collection: str = Field("plattform", description="Chroma collection name (3-512 characters).")
    chroma_host: str | None = Field(
        None, description="Host of a `chroma run` server; unset means the embedded store."
    )
    chroma_port: int = Field(8000, description="Port of the `chroma run` server.")
    search_ef: int = Field(
        1000,
        ge=1,
        description="Candidates the HNSW graph explores per dense query (Chroma's ef_search, 100 by "
        "default), set on the collection whenever it is opened for writing (every ingest). "
        "Measured on `assistant eval haystack` (2 258 chunks, a freshly built index): hit@5 "
        "0.911 at 100, 0.941 at 1000, the same as exact search; the chunks added last sit in "
        "Chroma's brute-force buffer, so an index's recall depended on the order its documents "
        "were ingested in.",
    )
    index_check_s: float = Field(
        1.0,
        description="How often (at most) a serving process asks the index whether another process "
        "has ingested since it loaded; one metadata read. Not tuned.",
    )

    cache_dir: Path = Field(DEFAULT_CACHE_DIR, description="Model and OCR caches.")
    embed_model: str = Field(
        "",
        description="A sentence-transformers model name or folder; empty means the verified "
        "EmbeddingGemma-300m copy in cache_dir/models.",
    )
    embed_dtype: Literal["auto", "bfloat16", "float32"] = Field(
        "auto",
        description="bfloat16 is about 2.5x faster on CPUs with native bf16 (AVX512-BF16, AMX) "
        "and about 5x slower on CPUs without it; 'auto' picks by the CPU's flags.",
    )
    embed_max_seq_length: int = Field(512, description="Token cap of the embedding model.")
    embed_batch_size: int = Field(8, description="Passages per encode call during ingest.")
    embed_batch_wait_ms: float = Field(
        2.0,
        description="How long a question's embedding waits for concurrent ones to share its forward "
        "pass (kbcore/batcher.py). Measured with `python -m evals.batching` (evals/README.md): 2 ms "
        "had the lowest service time at 1, 4, 8 and 16 concurrent; 5-10 ms only delayed the lone "
        "request, since under load the ~70 ms forward pass itself gathers the next batch.",
    )
    embed_max_batch: int = Field(32, description="Most texts in one micro-batch. Not tuned.")
    torch_threads: int = Field(0, description="torch intra-op threads; 0 means the usable cores.")

    chunk_tokens: int = Field(400, description="Target chunk size in embedding-model tokens.")
    chunk_overlap_tokens: int = Field(40, description="Overlap between chunks of one section.")

    fusion: FusionSettings = Field(default_factory=lambda: FusionSettings())
    abstention: AbstentionSettings = Field(default_factory=lambda: AbstentionSettings())
    extractive: ExtractiveSettings = Field(default_factory=lambda: ExtractiveSettings())
    verifier: VerifierSettings = Field(default_factory=lambda: VerifierSettings())
    followups: FollowupSettings = Field(default_factory=lambda: FollowupSettings())
    generation: GenerationSettings = Field(default_factory=lambda: GenerationSettings())

    llm_base_url: str | None = Field(
        None,
        description="An OpenAI-compatible endpoint (Ollama's /v1, llama-server, vLLM, a hosted API); "
        "set, answers are written by its model and every sentence is checked against its source.",
    )
    llm_model: str = Field("", description="Model name sent to the endpoint.")
    llm_api_key: str = Field("", description="API key of the endpoint; empty for local servers.")
    llm_timeout: float = Field(
        60.0, description="Seconds the whole generated answer may take before the quoted answer is shown."
    )
    writer: Literal["auto", "extractive", "generative"] = Field(
        "auto", description="'auto' writes generatively when llm_base_url is set, else extractively."
    )
    default_access: AccessLevel = Field(
        AccessLevel.INTERNAL, description="Access level of a document whose front matter names none."
    )
    max_file_mb: int = Field(25, description="Larger files are refused with a message.")
    max_pdf_pages: int = Field(2000, description="PDFs with more pages are refused (PDF bombs).")
    ocr_enabled: bool = Field(True, description="OCR PDF pages that have no text layer.")
    ocr_language: str = Field("swe", description="Tesseract language data.")

    app_host: str = Field("127.0.0.1", description="Where `assistant serve` listens.")
    app_port: int = Field(7860, description="Port of the chat app.")
    app_concurrency: int = Field(
        8,
        description="Chat requests one app process runs at once (Gradio's concurrency limit); the "
        "rest queue. Measured with `python -m evals.batching` (evals/README.md): whole answers "
        "reached their best service time per request (~40-50 ms) at 8 concurrent; 16 gave no more "
        "throughput and twice the p95.",
    )
    users_file: Path = Field(
        Path("users.json"),
        description="Users, roles and password hashes (`assistant user add`); the app asks for a "
        "login when this file exists and runs in local single-user mode when it does not.",
    )
    feedback_db: Path = Field(
        Path(".data/feedback.sqlite3"),
        description="SQLite file of answer ratings and of the audit log (questions, cited documents, "
        "failed logins).",
    )
    audit_retention_days: int = Field(
        365, ge=1, description="Audit-log rows older than this are deleted when the app starts."
    )
    session_idle_minutes: float = Field(
        60, gt=0, description="A login session without a request for this long is ended."
    )
    login_free_failures: int = Field(
        5,
        ge=1,
        description="Failed logins per user name and per address before each further attempt must "
        "wait; not tuned (common lockout practice, e.g. OWASP's 'a handful' of tries).",
    )
    login_wait_seconds: float = Field(
        60,
        gt=0,
        description="The first wait after login_free_failures failures; doubles with each further "
        "failure (not tuned).",
    )
    upload_dir: Path = Field(
        Path("corpus/uppladdat"), description="Where files uploaded in the app are saved before ingest."
    )

    roles: dict[str, AccessLevel] = Field(
        default_factory=lambda: {
            "allmanhet": AccessLevel.PUBLIC,
            "remisspartner": AccessLevel.PARTNER,
            "medarbetare": AccessLevel.INTERNAL,
            "styrgrupp": AccessLevel.STEERING_GROUP,
        },
        description="Role name -> access level; every access level is also a valid role.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_config_file())
        return init_settings, env_settings, toml

    def model_post_init(self, context: object, /) -> None:
        """Refuse the flat names of moved fields (ValueError naming the new one)."""
        moved = [f"{old} -> {new}" for old, new in _MOVED.items() if old in os.environ]
        if moved:
            raise ValueError("Inställningen har flyttat till en grupp: " + ", ".join(moved))

    @property
    def embeddinggemma_dir(self) -> Path:
        return self.cache_dir / "models" / "embeddinggemma-300m"

    @property
    def weights_cache_dir(self) -> Path:
        """Where float32 weights are kept cast to bfloat16 (kbcore/weights.py)."""
        return self.cache_dir / "models" / "bfloat16"

    @property
    def generator_gguf(self) -> Path:
        return self.cache_dir / "models" / "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"

    @property
    def generative(self) -> bool:
        """Whether answers are generated: asked for, or 'auto' with an endpoint configured."""
        return self.writer == "generative" or (self.writer == "auto" and bool(self.llm_base_url))

    @property
    def embed_model_path(self) -> str:
        return self.embed_model or str(self.embeddinggemma_dir)

    def access_rank(self, role: str | None) -> int:
        """Highest access rank a role may read; no role means full access (local CLI use)."""
        if role is None:
            return len(ACCESS_LEVELS) - 1
        level = self.roles.get(role, role)
        if level not in ACCESS_LEVELS:
            known = ", ".join(sorted({*self.roles, *ACCESS_LEVELS}))
            raise ValueError(f"Okänd roll '{role}'. Kända roller: {known}")
        return ACCESS_LEVELS.index(level)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
