"""Reading a dispatch: the reader's and the parser's problems."""

from __future__ import annotations

from bot.texts.common import esc

INGEST_HEAD_REF = "Mục"
INGEST_HEAD_LEAD = "Chủ trì"
INGEST_HEAD_SUPPORT = "Phối hợp"
INGEST_HEAD_DUE = "Thời hạn"
INGEST_HEAD_TEXT = "Nội dung"
INGEST_NONE = "—"
INGEST_RECIPIENTS = "Các đơn vị được gửi"
INGEST_LABEL_KIND = "Loại văn bản"
INGEST_LABEL_NUMBER = "Số"
INGEST_LABEL_ISSUER = "Cơ quan ban hành"
INGEST_LABEL_ISSUED_ON = "Ngày ban hành"
INGEST_LABEL_SUBJECT = "Trích yếu"
INGEST_LABEL_SIGNER = "Người ký"
INGEST_LABEL_RECIPIENTS = "Kính gửi"
INGEST_LABEL_TASKS = "Nhiệm vụ"

INGEST_KINDS = {
    "cong_van": "Công văn",
    "ke_hoach": "Kế hoạch",
    "thong_bao": "Thông báo",
    "quyet_dinh": "Quyết định",
    "chi_thi": "Chỉ thị",
    "article": "Bài báo đưa tin",
    "other": "Văn bản khác",
}
INGEST_DUE_KINDS = {
    "deadline": "hạn",
    "start": "bắt đầu",
    "recurring": "thường xuyên/định kỳ",
    "on_request": "khi có yêu cầu",
    "after_event": "sau khi có văn bản/hướng dẫn",
    "roadmap": "theo lộ trình",
}

_INGEST_ERRORS = {
    "empty": "Tệp rỗng, không có nội dung để đọc.",
    "binary": "Tệp không phải văn bản đọc được (có thể là tệp nhị phân hoặc sai mã hóa).",
    "too_large": "Tệp quá lớn (tối đa {limit_mb} MB).",
    "no_text_layer": (
        "Tệp là bản quét, không có lớp chữ và máy chủ chưa cài OCR (tesseract). "
        "Vui lòng gửi bản .docx hoặc PDF có chữ."
    ),
    "ocr_unreadable": (
        "Đã nhận dạng chữ (OCR) bản quét nhưng không đọc được nội dung: ảnh quá mờ, "
        "nghiêng hoặc không có chữ. Vui lòng chụp/quét lại rõ hơn hoặc gửi bản .docx."
    ),
    "legacy_doc": (
        "Tệp .doc (Word 97–2003) cần LibreOffice để chuyển đổi nhưng máy chủ chưa cài. "
        "Vui lòng lưu lại thành .docx rồi gửi lại."
    ),
    "corrupt": "Tệp bị hỏng hoặc không đúng định dạng, không mở được.",
    "no_tasks": "Không tìm thấy nhiệm vụ nào trong văn bản.",
    "not_dispatch": "Nội dung không giống một công văn, kế hoạch hay thông báo.",
    "unsupported": "Định dạng tệp chưa được hỗ trợ. Hãy gửi .txt, .docx hoặc .pdf.",
    "not_found": "Không tìm thấy tệp: {path}",
    "unreadable": "Không đọc được tệp: {path}",
}


def ingest_error(code: str, **params: object) -> str:
    """The Vietnamese message for an ingest error code (see ingest.errors.ERROR_CODES)."""
    if code == "too_large":
        limit = params.get("limit_bytes")
        mb = int(limit) // (1024 * 1024) if isinstance(limit, int) else 20
        return _INGEST_ERRORS["too_large"].format(limit_mb=mb)
    template = _INGEST_ERRORS.get(code, "Không xử lý được văn bản (mã lỗi: {code}).")
    values = {"code": code, "path": "", **{k: esc(v) for k, v in params.items()}}
    return template.format(**values)
