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

ACCESS_LEVELS: tuple[str, ...] = ("oppen", "partner", "intern", "styrgrupp")
"""Access levels from least to most restricted; a role sees its level and all below."""

DEFAULT_CACHE_DIR = Path.home() / ".cache" / "plattformsassistenten"


def _config_file() -> Path:
    return Path(os.environ.get("ASSISTANT_CONFIG_FILE", "assistant.toml"))


class Settings(BaseSettings):
    """Paths, models, backends, thresholds and the access model."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    corpus_dir: Path = Field(Path("corpus"), description="Folder ingested when no path is given.")
    index_dir: Path = Field(Path(".index"), description="Folder of the embedded Chroma store.")
    collection: str = Field("plattform", description="Chroma collection name (3-512 characters).")
    chroma_host: str | None = Field(
        None, description="Host of a `chroma run` server; unset means the embedded store."
    )
    chroma_port: int = Field(8000, description="Port of the `chroma run` server.")

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

    chunk_tokens: int = Field(400, description="Target chunk size in embedding-model tokens.")
    chunk_overlap_tokens: int = Field(40, description="Overlap between chunks of one section.")

    candidates: int = Field(50, description="Results taken from each channel before fusion.")
    top_k: int = Field(5, description="Fused results passed to the answer writer.")
    fusion_coverage_threshold: float = Field(
        0.6, description="Share of the question in BM25's best chunk at which BM25 leads the fusion."
    )
    fusion_bm25_weight_matched: float = Field(
        0.7, description="BM25's weight when the question reuses the documents' words."
    )
    fusion_bm25_weight_paraphrase: float = Field(
        0.2, description="BM25's weight otherwise (paraphrases, English): the dense model leads."
    )
    answer_threshold: float | None = Field(
        None,
        description="Answer when the abstention model's probability that the passages answer reaches "
        "this; unset takes the operating point chosen on dev at training (assistant/models/abstention.json).",
    )

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
    llm_temperature: float = Field(0.1, description="Sampling temperature of the generative writer.")
    llm_max_tokens: int = Field(300, description="Longest generated answer, in tokens.")
    llm_passages: int = Field(3, description="Passages the model sees (prompt processing dominates on CPU).")
    writer: Literal["auto", "extractive", "generative"] = Field(
        "auto", description="'auto' writes generatively when llm_base_url is set, else extractively."
    )
    verify_min_support: float = Field(
        0.5, description="Share of a generated sentence's content words that its cited passages must hold."
    )
    verify_min_similarity: float = Field(
        0.70,
        description="... or the dense similarity to a cited sentence that also supports it "
        "(answers in English to Swedish sources).",
    )
    verify_min_kept: float = Field(
        0.5, description="Below this share of verified sentences the quoted answer is shown instead."
    )

    default_access: Literal["oppen", "partner", "intern", "styrgrupp"] = Field(
        "intern", description="Access level of a document whose front matter names none."
    )
    max_file_mb: int = Field(25, description="Larger files are refused with a message.")
    max_pdf_pages: int = Field(2000, description="PDFs with more pages are refused (PDF bombs).")
    ocr_enabled: bool = Field(True, description="OCR PDF pages that have no text layer.")
    ocr_language: str = Field("swe", description="Tesseract language data.")

    app_host: str = Field("127.0.0.1", description="Where `assistant serve` listens.")
    app_port: int = Field(7860, description="Port of the chat app.")
    users_file: Path = Field(
        Path("users.json"),
        description="Users, roles and password hashes (`assistant user add`); the app asks for a "
        "login when this file exists and runs in local single-user mode when it does not.",
    )
    feedback_db: Path = Field(Path(".data/feedback.sqlite3"), description="SQLite file of answer ratings.")
    upload_dir: Path = Field(
        Path("corpus/uppladdat"), description="Where files uploaded in the app are saved before ingest."
    )

    roles: dict[str, str] = Field(
        default_factory=lambda: {
            "allmanhet": "oppen",
            "remisspartner": "partner",
            "medarbetare": "intern",
            "styrgrupp": "styrgrupp",
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

    @property
    def embeddinggemma_dir(self) -> Path:
        return self.cache_dir / "models" / "embeddinggemma-300m"

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
