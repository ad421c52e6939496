"""The dashboard (Telegram Mini App)."""

from __future__ import annotations

WEB_APP_BUTTON = "📊 Mở bảng theo dõi"
WEB_APP_MENU_BUTTON = "Bảng theo dõi"
WEB_APP_TITLE = "Nhắc Việc — Bảng theo dõi"
# Every word the page shows; the server puts them in the page, so they live here too.
WEB_APP_LABELS = {
    "loading": "Đang tải…",
    "auth_failed": (
        "Không xác thực được phiên Telegram. Xin mở lại bảng theo dõi từ nút trong Nhắc Việc."
    ),
    "not_registered": "Anh/Chị chưa đăng ký sử dụng Nhắc Việc, nên không có dữ liệu để xem.",
    "not_found": "Không tìm thấy.",
    "error": "Có lỗi, xin thử lại.",
    "scope_office": "Toàn bộ các đơn vị",
    "tab_units": "Theo đơn vị",
    "tab_dispatches": "Theo văn bản",
    "tab_overdue": "Quá hạn",
    "tab_trend": "Xu hướng",
    "filter_dispatch": "Văn bản",
    "filter_unit": "Đơn vị",
    "filter_group": "Nhóm đơn vị",
    "filter_status": "Tình trạng",
    "filter_from": "Hạn từ ngày",
    "filter_to": "đến ngày",
    "all": "Tất cả",
    "apply": "Lọc",
    "total": "Tổng số nhiệm vụ",
    "extended": "Được gia hạn",
    "col_unit": "Đơn vị",
    "col_dispatch": "Văn bản",
    "col_total": "Tổng",
    "col_task": "Nhiệm vụ",
    "col_due": "Hạn",
    "col_days": "Quá hạn (ngày)",
    "col_head": "Trưởng đơn vị",
    "col_week": "Tuần từ",
    "col_came_due": "Đến hạn",
    "page": "Trang {page}/{pages}",
    "prev": "‹ Trước",
    "next": "Sau ›",
    "empty": "Không có nhiệm vụ nào.",
    "history": "Lịch sử",
    "extensions": "Đề nghị gia hạn",
    "attachments": "Tệp báo cáo",
    "note": "Ghi chú",
    "status": "Tình trạng",
    "close": "Đóng",
    "approve": "Đồng ý gia hạn",
    "reject": "Không đồng ý",
    "return": "Trả lại (chưa đạt)",
    "return_reason": "Lý do trả lại",
    "set_deadline": "Đặt hạn",
    "done_ok": "Đã ghi nhận.",
    "report": "Tải báo cáo (.docx)",
    "ext_pending": "chờ duyệt",
    "ext_approved": "đã đồng ý",
    "ext_rejected": "không đồng ý",
    "ext_cancelled": "đã hủy",
    "proposed": "đề nghị đến",
}
WEB_APP_DONE = {
    "approved": "Đã đồng ý gia hạn; đơn vị được báo.",
    "rejected": "Đã không đồng ý gia hạn; đơn vị được báo.",
    "returned": "Đã trả lại nhiệm vụ; đơn vị được báo.",
    "deadline": "Đã đặt hạn mới.",
}
WEB_APP_BAD_DATE = "Ngày không hợp lệ."
WEB_APP_REPORT_SENT = "Đã gửi báo cáo (.docx) vào cuộc trò chuyện với Nhắc Việc."
