"""``python -m etl users …``: the accounts' command line (the edge that prints, like ``etl/cli.py``).

There is no default password: the first admin is made here, the password typed twice (or read from
stdin for scripts). Other users get a one-time password that they must change at their first login.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from etl.accounts import audit, users
from etl.accounts.roles import ROLE_LABELS, Role, parse_role
from etl.accounts.store import describe
from etl.errors import AccountError


def add_parser(sub: argparse._SubParsersAction) -> None:
    users_parser = sub.add_parser("users", help="Tài khoản, vai trò, phiên đăng nhập và nhật ký.")
    cmd = users_parser.add_subparsers(dest="users_command", required=True)
    admin = cmd.add_parser(
        "create-admin", help="Tạo tài khoản quản trị (mật khẩu nhập hai lần, hoặc từ stdin)."
    )
    admin.add_argument("username")
    admin.add_argument("--name", default="", help="Họ tên hiển thị.")
    admin.add_argument("--password-stdin", action="store_true", help="Đọc mật khẩu từ dòng đầu của stdin.")
    create = cmd.add_parser(
        "create-user", help="Tạo tài khoản với mật khẩu dùng một lần (phải đổi khi đăng nhập)."
    )
    create.add_argument("username")
    create.add_argument("--name", default="")
    for p in (
        create,
        role := cmd.add_parser("set-role", help="Đổi vai trò và phạm vi; các phiên bị thu hồi."),
    ):
        if p is role:
            p.add_argument("username")
        p.add_argument(
            "--role", required=True, help="admin | lanh_dao | chuyen_vien_tinh | chuyen_vien_don_vi"
        )
        p.add_argument("--province", help="Tỉnh (tên hiện hành hoặc tên cũ); bỏ trống: toàn quốc (lãnh đạo).")
        p.add_argument("--unit", help="Đơn vị (chuyên viên đơn vị).")
    for name, text in (("reset-password", "Cấp mật khẩu dùng một lần; các phiên bị thu hồi."),
                       ("disable", "Khóa tài khoản; các phiên bị thu hồi."),
                       ("revoke-sessions", "Đăng xuất người dùng khỏi mọi phiên ngay lập tức.")):  # fmt: skip
        cmd.add_parser(name, help=text).add_argument("username")
    cmd.add_parser("list", help="Danh sách tài khoản.").add_argument("--json", action="store_true")
    log = cmd.add_parser("audit", help="Xuất nhật ký ra CSV.")
    log.add_argument("--since", required=True, help="Từ thời điểm (UTC): YYYY-MM-DD[THH:MM].")
    log.add_argument("--until", help="Đến trước thời điểm (UTC).")
    log.add_argument("--user", help="Chỉ của người dùng này.")
    log.add_argument("--action", help="Chỉ loại sự kiện này (login, upload_confirm, …).")
    log.add_argument("--out", type=Path, help="Tệp CSV (mặc định: stdout).")


def _by() -> str:
    return f"cli:{getpass.getuser()}"


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mật khẩu: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise AccountError("Hai lần nhập mật khẩu không giống nhau.")
    return first


def run(args: argparse.Namespace) -> int:
    try:
        return _COMMANDS[args.users_command](args)
    except AccountError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1


def _create_admin(args: argparse.Namespace) -> int:
    user = users.create_user(args.username, _read_password(args.password_stdin), Role.ADMIN,
                             display_name=args.name, by=_by())  # fmt: skip
    print(f"Đã tạo tài khoản quản trị '{user.username}'. Tài khoản lưu ở {describe()}.")
    return 0


def _create_user(args: argparse.Namespace) -> int:
    one_time = users.one_time_password()
    user = users.create_user(args.username, one_time, parse_role(args.role), args.province, args.unit,
                             display_name=args.name, by=_by(), must_change=True)  # fmt: skip
    print(f"Đã tạo '{user.username}' ({ROLE_LABELS[user.role]}, {user.scope_text}).")
    print(f"Mật khẩu dùng một lần (phải đổi khi đăng nhập lần đầu): {one_time}")
    return 0


def _set_role(args: argparse.Namespace) -> int:
    user = users.set_role(args.username, parse_role(args.role), args.province, args.unit, by=_by())
    print(
        f"'{user.username}' nay là {ROLE_LABELS[user.role]} ({user.scope_text}); các phiên cũ đã bị thu hồi."
    )
    return 0


def _reset_password(args: argparse.Namespace) -> int:
    one_time = users.reset_password(args.username, by=_by())
    print(f"Mật khẩu dùng một lần của '{args.username}' (phải đổi khi đăng nhập): {one_time}")
    return 0


def _disable(args: argparse.Namespace) -> int:
    users.disable_user(args.username, by=_by())
    print(f"Đã khóa tài khoản '{args.username}'.")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    n = users.revoke_sessions(args.username, by=_by())
    print(f"Đã thu hồi {n} phiên của '{args.username}'.")
    return 0


def _list(args: argparse.Namespace) -> int:
    rows = users.list_users()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        flags = " [đã khóa]" * r["disabled"] + " [phải đổi mật khẩu]" * r["must_change"]
        scope = " / ".join(x for x in (r["province"], r["unit"]) if x) or "toàn quốc"
        print(f"{r['username']}\t{r['role_label']}\t{scope}{flags}")
    return 0


def _audit(args: argparse.Namespace) -> int:
    query = audit.AuditQuery(
        since=users.parse_time(args.since), until=users.parse_time(args.until) if args.until else None,
        username=args.user, action=args.action, limit=10**9,
    )  # fmt: skip
    text = audit.to_csv(audit.search(query))
    if args.out:
        args.out.write_text(text, encoding="utf-8-sig")  # with a BOM: Excel reads the diacritics
    else:
        sys.stdout.write(text)
    return 0


_COMMANDS = {
    "create-admin": _create_admin, "create-user": _create_user, "set-role": _set_role,
    "reset-password": _reset_password, "disable": _disable, "revoke-sessions": _revoke, "list": _list,
    "audit": _audit,
}  # fmt: skip
