"""The labeling config: generated from the schema, parsed and checked by label_studio_sdk's LabelInterface."""

from label_studio_sdk.label_interface import LabelInterface

from cash_corpus.labelstudio import config as C
from cash_corpus.labelstudio.tasks import document_results
from cash_corpus.schema import label_names

from labelstudio_helpers import gold_document, make_corpus


def test_every_inventory_is_a_control_with_the_schema_labels():
    interface = LabelInterface(C.labeling_config())
    assert interface.get_control(C.SPAN).labels == list(C.SPAN_LABELS)
    for name, (inventory, _) in C.REGION_CHOICES.items():
        assert interface.get_control(name).labels == label_names(inventory), name
    for target in label_names("stance_target"):
        assert interface.get_control(C.stance_control(target)).labels == label_names("stance_polarity")
        assert interface.get_control(C.document_stance_control(target)).labels == label_names("document_stance_polarity")
    assert {"note", "document_note"} <= {c.name for c in interface.controls}


def test_config_declares_every_relation_label():
    xml = C.labeling_config()
    for label in C.RELATION_LABELS:
        assert f'<Relation value="{label}"/>' in xml


def test_gold_results_are_a_valid_prediction(tmp_path):
    corpus = make_corpus(tmp_path)
    results = document_results(gold_document(corpus), corpus.text("d1"))
    interface = LabelInterface(C.labeling_config())
    assert interface.validate_prediction({"result": results}, return_errors=True) in (True, [], None)


def test_unknown_label_is_rejected_by_label_interface(tmp_path):
    corpus = make_corpus(tmp_path)
    results = document_results(gold_document(corpus), corpus.text("d1"))
    results[0]["value"]["labels"] = ["opinion"]
    interface = LabelInterface(C.labeling_config())
    assert interface.validate_prediction({"result": results}, return_errors=True) not in (True, [], None)
