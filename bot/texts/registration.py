"""Start, invites and registration."""

from __future__ import annotations

from bot.texts.common import esc

REDEEM_REGISTERED = (
    "Đăng ký thành công! Anh/Chị đã được ghi nhận là <b>{role}</b>{unit}.\n"
    "Từ nay Nhắc Việc sẽ gửi nhiệm vụ và lời nhắc hạn tới đây. Gõ /help để xem các lệnh."
)
REDEEM_REGISTERED_OFFICE = (
    "Đăng ký thành công! Anh/Chị đã được ghi nhận là <b>{role}</b>.\n"
    "Anh/Chị có thể gửi công văn tới đây để giao nhiệm vụ và theo dõi tình hình thực hiện. "
    "Gõ /help để xem các lệnh."
)
REDEEM_GROUP_BOUND = (
    "Đã gắn nhóm này với đơn vị <b>{unit}</b>. Nhiệm vụ và lời nhắc của đơn vị "
    "sẽ được gửi vào nhóm."
)
REDEEM_REFUSED = {
    "invalid": (
        "Mã mời không đúng. Xin kiểm tra lại đường link hoặc đề nghị văn phòng cấp link mới."
    ),
    "used": (
        "Mã mời này đã được sử dụng. Mỗi link chỉ dùng được một lần; "
        "xin đề nghị văn phòng cấp link mới."
    ),
    "expired": "Mã mời đã hết hạn. Xin đề nghị văn phòng cấp link mới.",
    "revoked": "Mã mời đã bị thu hồi. Xin liên hệ văn phòng.",
    "group_needs_unit": "Chỉ link mời của một đơn vị mới gắn được vào nhóm chat.",
}


def redeem_registered(role_label: str, unit_name: str | None) -> str:
    if not unit_name:
        return REDEEM_REGISTERED_OFFICE.format(role=esc(role_label))
    return REDEEM_REGISTERED.format(role=esc(role_label), unit=f" của <b>{esc(unit_name)}</b>")


def redeem_group_bound(unit_name: str | None) -> str:
    return REDEEM_GROUP_BOUND.format(unit=esc(unit_name or ""))


LEFT = (
    "Anh/Chị đã rời khỏi Nhắc Việc. Cảm ơn Anh/Chị. "
    "Muốn dùng lại, xin đề nghị văn phòng cấp link mời mới."
)
LEAVE_CONFIRM = (
    "Anh/Chị có chắc muốn rời khỏi Nhắc Việc? Sau đó sẽ không nhận được nhiệm vụ và lời nhắc nữa."
)
BUTTON_LEAVE = "Rời khỏi"
BUTTON_CANCEL = "Hủy"
CANCELLED = "Đã hủy, không có gì thay đổi."

INVITE_USAGE = (
    "Cách dùng: /moi &lt;vai trò&gt; &lt;tên đơn vị&gt;\n"
    "Vai trò: <code>truong</code> (trưởng đơn vị), <code>canbo</code> (cán bộ), "
    "<code>theodoi</code> (lãnh đạo theo dõi), <code>quantri</code> (quản trị).\n"
    "Ví dụ: /moi truong Sở Nội vụ"
)
INVITE_UNIT_NOT_FOUND = "Không tìm thấy đơn vị «{name}». {hint}"
INVITE_UNIT_CANDIDATES = "Có phải Anh/Chị muốn: {names}?"
INVITE_CREATED = (
    "Link mời cho <b>{role}</b>{unit} (dùng một lần, hết hạn lúc {expires}):\n{link}\n\n"
    "Gửi link này cho đúng người cần đăng ký.{group}"
)
INVITE_GROUP_HINT = (
    "\n\nHoặc dùng mã này để gắn <b>nhóm chat của đơn vị</b> (thay cho một người): mở link\n"
    "{group_link}\nrồi chọn nhóm; Telegram thêm bot vào nhóm và gửi mã giúp. "
    "Cũng có thể thêm bot vào nhóm rồi gửi trong nhóm: <code>/start {code}</code>"
)


def invite_created(
    role_label: str, unit_name: str | None, expires: str, link: str, code: str, group_link: str
) -> str:
    """The invite's link for a person and, for a unit, its ``startgroup`` link for a group."""
    unit = f" — {esc(unit_name)}" if unit_name else ""
    group = (
        INVITE_GROUP_HINT.format(code=esc(code), group_link=esc(group_link)) if unit_name else ""
    )
    return INVITE_CREATED.format(
        role=esc(role_label), unit=unit, expires=esc(expires), link=esc(link), group=group
    )


def invite_unit_not_found(name: str, candidates: list[str]) -> str:
    names = ", ".join(esc(c) for c in candidates)
    hint = INVITE_UNIT_CANDIDATES.format(names=names) if candidates else ""
    return INVITE_UNIT_NOT_FOUND.format(name=esc(name), hint=hint).strip()


# Role words an admin may type after /moi, with or without diacritics.
ROLE_WORDS = {
    "truong": "head",
    "truongdonvi": "head",
    "head": "head",
    "canbo": "member",
    "thanhvien": "member",
    "member": "member",
    "theodoi": "supervisor",
    "lanhdao": "supervisor",
    "supervisor": "supervisor",
    "quantri": "admin",
    "admin": "admin",
}

WELCOME_UNREGISTERED = (
    "Xin chào! Đây là <b>Nhắc Việc</b>, trợ lý theo dõi nhiệm vụ từ công văn, kế hoạch "
    "của cơ quan.\n\n"
    "Tài khoản của Anh/Chị chưa được đăng ký. Để sử dụng, xin đề nghị bộ phận văn phòng "
    "(quản trị viên) gửi cho Anh/Chị <b>đường link mời</b> của đơn vị mình, rồi bấm vào "
    "đường link đó. Mỗi link chỉ dùng được một lần.\n\n"
    "Mã Telegram của Anh/Chị: <code>{user_id}</code> (gửi kèm khi đề nghị cấp link)."
)


def welcome_unregistered(user_id: int) -> str:
    return WELCOME_UNREGISTERED.format(user_id=user_id)


def person_registered(name: str, role_label: str, unit_name: str | None) -> str:
    """Told to the admins and the unit's heads when someone registers with an invite."""
    where = f" — {esc(unit_name)}" if unit_name else ""
    return (
        f"👤 <b>{esc(name)}</b> vừa đăng ký Nhắc Việc bằng link mời, "
        f"vai trò <b>{esc(role_label)}</b>{where}."
    )


def redeem_already_registered(role_label: str, unit_name: str | None) -> str:
    """The person who used an invite opens it again: nothing to do, nothing refused."""
    where = f" — {esc(unit_name)}" if unit_name else ""
    return (
        f"Anh/Chị đã đăng ký với vai trò <b>{esc(role_label)}</b>{where}, "
        "không cần dùng lại link mời này.\nGõ /help để xem các lệnh."
    )


def welcome_back(name: str, role_label: str, unit_name: str | None) -> str:
    where = f" — {esc(unit_name)}" if unit_name else ""
    return (
        f"Xin chào {esc(name)}! Anh/Chị đang dùng Nhắc Việc với vai trò "
        f"<b>{esc(role_label)}</b>{where}.\nGõ /help để xem các lệnh."
    )


ROLE_LABELS = {
    "admin": "quản trị viên",
    "supervisor": "lãnh đạo theo dõi",
    "head": "trưởng đơn vị",
    "member": "cán bộ đơn vị",
}

HELP_UNIT = (
    "<b>Các lệnh của Nhắc Việc</b>\n"
    "/viec — nhiệm vụ của đơn vị\n"
    "/tonghop — tình hình thực hiện của đơn vị\n"
    "/quahan — nhiệm vụ quá hạn của đơn vị\n"
    "/tatnhac, /batnhac — tạm tắt, bật lại lời nhắc trước hạn (trưởng đơn vị)\n"
    "/nhiemvu &lt;mã&gt; — lịch sử một nhiệm vụ (mã là số sau dấu # trong /viec)\n"
    "/huy — thôi thao tác đang làm\n"
    "/roi — rời khỏi Nhắc Việc\n\n"
    "Khi hoàn thành một nhiệm vụ, hãy trả lời (reply) tin nhắn nhiệm vụ bằng "
    "«xong» kèm ghi chú nếu có; muốn xin gia hạn, trả lời «xin gia hạn đến dd/mm»."
)
HELP_SUPERVISOR = (
    "<b>Các lệnh của Nhắc Việc</b>\n"
    "Gửi tệp công văn (.docx, .pdf, .txt) hoặc dán nội dung để tạo nhiệm vụ.\n"
    "/tonghop [số hiệu] — tổng hợp tình hình thực hiện (cả hoặc một văn bản)\n"
    "/quahan — danh sách nhiệm vụ quá hạn\n"
    "/donvi &lt;tên&gt; — tình hình của một đơn vị\n"
    "/nhiemvu &lt;mã&gt; — lịch sử một nhiệm vụ (mã là số sau dấu # trong /quahan, /viec)\n"
    "/han &lt;mã&gt; &lt;ngày&gt; — đặt hạn cho nhiệm vụ\n"
    "/xuat — xuất báo cáo Excel\n"
    "/tralai &lt;mã&gt; &lt;lý do&gt; — trả lại nhiệm vụ chưa đạt\n"
    "/baongay bat|tat — báo ngay mỗi khi đơn vị hoàn thành\n"
    "/moi — tạo link mời cho đơn vị (quản trị)\n"
    "/dsdonvi, /themdonvi, /doiten, /themnhom, /thuhoi — quản lý đơn vị (quản trị)\n"
    "/huy — thôi thao tác đang làm\n"
    "/roi — rời khỏi Nhắc Việc"
)
