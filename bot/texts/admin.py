"""Administration in chat."""

from __future__ import annotations

UNITS_LIST_HEADER = "<b>Danh sách đơn vị</b> ({count}) — [mã] tên (số người/nhóm nhận tin):"
UNIT_ADDED = "Đã thêm đơn vị [{id}] <b>{name}</b>."
UNIT_RENAMED = "Đã đổi tên đơn vị [{id}] thành <b>{name}</b> (tên cũ được giữ làm tên gọi khác)."
UNIT_GROUPED = "Đã đưa đơn vị [{id}] vào nhóm <b>{group}</b>."
ADMIN_UNIT_USAGE = (
    "Cách dùng:\n"
    "/dsdonvi — danh sách đơn vị và mã\n"
    "/themdonvi &lt;tên đơn vị&gt;\n"
    "/doiten &lt;mã đơn vị&gt; &lt;tên mới&gt;\n"
    "/themnhom &lt;mã đơn vị&gt; &lt;tên nhóm&gt;\n"
    "/thuhoi &lt;mã Telegram của người dùng&gt;"
)
REVOKED = "Đã thu hồi quyền sử dụng của {name}. Người này không còn nhận và xem được nhiệm vụ."
REVOKE_UNKNOWN = "Không tìm thấy người dùng đang hoạt động với mã Telegram {user_id}."
