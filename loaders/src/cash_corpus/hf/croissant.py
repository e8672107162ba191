"""croissant.json: Croissant 1.0 JSON-LD from the same metadata as the card (mlcroissant validates it).

One FileObject per built Parquet file (with its sha256), one FileSet per config (the glob the
card's `configs:` uses) and one RecordSet per config whose fields mirror the `datasets` Features:
struct columns become `subField`s, lists are `repeated`, ClassLabel columns are integers whose
description lists the label names in index order.
"""

from __future__ import annotations

import json
from typing import Any

from datasets import ClassLabel, List, Value

from .card import LICENSE, ReleaseStamp, citation, description
from .features import config_features

CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
PARQUET = "application/x-parquet"

# The standard Croissant 1.0 @context (as mlcroissant writes it).
CONTEXT: dict[str, Any] = {
    "@language": "en", "@vocab": "https://schema.org/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"}, "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/", "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"}, "extract": "cr:extract", "field": "cr:field",
    "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject", "fileSet": "cr:fileSet", "format": "cr:format",
    "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset", "jsonPath": "cr:jsonPath", "key": "cr:key",
    "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path", "recordSet": "cr:recordSet",
    "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated", "replace": "cr:replace",
    "samplingRate": "cr:samplingRate", "sc": "https://schema.org/", "separator": "cr:separator", "source": "cr:source",
    "subField": "cr:subField", "transform": "cr:transform",
}

VALUE_TYPES = {"string": "sc:Text", "bool": "sc:Boolean", "int32": "cr:Int32", "int64": "cr:Int64"}


def field_node(record_set: str, file_set: str, column: str, path: list[str], feature: Any) -> dict[str, Any]:
    """One Croissant field for a `datasets` feature at `path` inside top-level `column`."""
    field_id = f"{record_set}/{'/'.join(path)}"
    node: dict[str, Any] = {"@type": "cr:Field", "@id": field_id, "name": path[-1]}
    source: dict[str, Any] = {"fileSet": {"@id": file_set}, "extract": {"column": column}}
    if len(path) > 1:
        source["transform"] = {"jsonPath": "$." + ".".join(path[1:])}
    repeated = isinstance(feature, List)
    inner = feature.feature if repeated else feature
    if repeated:
        node["repeated"] = True
    if isinstance(inner, dict):
        node["dataType"] = "sc:StructuredValue"
        node["subField"] = [field_node(record_set, file_set, column, path + [key], value) for key, value in inner.items()]
    elif isinstance(inner, ClassLabel):
        node["dataType"] = "sc:Integer"
        node["description"] = "class label index; names in order: " + ", ".join(inner.names)
    elif isinstance(inner, Value):
        node["dataType"] = VALUE_TYPES[inner.dtype]
    else:
        raise TypeError(f"no Croissant type for feature {feature!r}")
    node["source"] = source
    return node


def record_set(summary) -> dict[str, Any]:
    file_set = f"fileset-{summary.name}"
    features = config_features(summary.kind)
    return {"@type": "cr:RecordSet", "@id": summary.name, "name": summary.name,
            "description": f"{summary.kind} from annotation layer '{summary.layer}' ({summary.num_rows} rows)",
            "field": [field_node(summary.name, file_set, column, [column], feature) for column, feature in features.items()]}


def croissant(info: dict[str, Any], configs: list, hashes: dict[str, str], fingerprint: str, split: str,
              release: ReleaseStamp) -> dict[str, Any]:
    """The JSON-LD document (a dict); `dumps` gives its canonical bytes. `fingerprint` is the
    build fingerprint (Parquet only); `release` carries the release fingerprint to cite."""
    distribution: list[dict[str, Any]] = [
        {"@type": "cr:FileObject", "@id": rel, "name": rel, "contentUrl": rel, "encodingFormat": PARQUET,
         "sha256": hashes[rel]}
        for rel in sorted(hashes)]
    distribution += [
        {"@type": "cr:FileSet", "@id": f"fileset-{s.name}", "name": f"fileset-{s.name}", "encodingFormat": PARQUET,
         "includes": f"data/{s.name}/{split}-*.parquet"}
        for s in configs]
    return {
        "@context": CONTEXT, "@type": "sc:Dataset", "name": info["name"], "conformsTo": CONFORMS_TO,
        "description": description(info) + f" Release fingerprint sha256:{release.fingerprint} "
                                           f"({'cite this one' if release.published else 'not published'}); "
                                           f"build fingerprint (Parquet only) sha256:{fingerprint}.",
        "license": LICENSE, "version": info["version"], "citeAs": citation(info, release),
        "distribution": distribution,
        "recordSet": [record_set(s) for s in configs],
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
