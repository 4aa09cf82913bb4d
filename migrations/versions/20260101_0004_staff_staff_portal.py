"""Staff portal: staff users, sessions, login attempts, audit log, callback
requests, trainer labels.

Revision ID: 0004_staff
Revises: 0003_certificates
"""

from alembic import op
import sqlalchemy as sa

revision = "0004_staff"
down_revision = "0003_certificates"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("full_name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("tehsil", sa.String(64), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("password_changed_at", TZ, nullable=False),
        sa.Column("last_login_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_users")),
        sa.UniqueConstraint("username", name=op.f("uq_staff_users_username")),
        sa.CheckConstraint(
            "role IN ('operator', 'designated_officer', 'trainer', 'admin')", name=op.f("ck_staff_users_role")
        ),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("last_seen_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
        sa.Column("absolute_expires_at", TZ, nullable=False),
        sa.Column("ended_at", TZ, nullable=True),
        sa.Column("ip", sa.String(45), nullable=True),
        sa.Column("user_agent", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_sessions")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_users.id"], name=op.f("fk_staff_sessions_user_id_staff_users"), ondelete="CASCADE"
        ),
    )
    op.create_index(op.f("ix_staff_sessions_user_id"), "staff_sessions", ["user_id"])
    op.create_index(op.f("ix_staff_sessions_expires_at"), "staff_sessions", ["expires_at"])

    op.create_table(
        "staff_login_attempts",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("ip", sa.String(45), nullable=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_login_attempts")),
    )
    op.create_index(op.f("ix_staff_login_attempts_username"), "staff_login_attempts", ["username"])
    op.create_index(op.f("ix_staff_login_attempts_ip"), "staff_login_attempts", ["ip"])
    op.create_index(op.f("ix_staff_login_attempts_at"), "staff_login_attempts", ["at"])

    op.create_table(
        "staff_audit_log",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target_type", sa.String(32), nullable=True),
        sa.Column("target_id", sa.String(64), nullable=True),
        sa.Column("ip", sa.String(45), nullable=True),
        sa.Column("details", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_audit_log")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_users.id"], name=op.f("fk_staff_audit_log_user_id_staff_users"), ondelete="SET NULL"
        ),
    )
    op.create_index(op.f("ix_staff_audit_log_at"), "staff_audit_log", ["at"])
    op.create_index(op.f("ix_staff_audit_log_user_id"), "staff_audit_log", ["user_id"])
    op.create_index(op.f("ix_staff_audit_log_action"), "staff_audit_log", ["action"])
    op.create_index(op.f("ix_staff_audit_log_target_id"), "staff_audit_log", ["target_id"])

    op.create_table(
        "callback_requests",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("phone_masked", sa.String(32), nullable=False),
        sa.Column("last_messages", sa.Text, nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("application_id", sa.String(32), nullable=True),
        sa.Column("call_by", TZ, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("handled_by", sa.Integer, nullable=True),
        sa.Column("handled_at", TZ, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback_requests")),
        sa.ForeignKeyConstraint(
            ["handled_by"],
            ["staff_users.id"],
            name=op.f("fk_callback_requests_handled_by_staff_users"),
            ondelete="SET NULL",
        ),
        sa.CheckConstraint("status IN ('open', 'called', 'closed')", name=op.f("ck_callback_requests_status")),
    )
    op.create_index(op.f("ix_callback_requests_created_at"), "callback_requests", ["created_at"])
    op.create_index(op.f("ix_callback_requests_sender_id"), "callback_requests", ["sender_id"])
    op.create_index(op.f("ix_callback_requests_status"), "callback_requests", ["status"])

    op.create_table(
        "trainer_labels",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("message_key", sa.String(64), nullable=False),
        sa.Column("tracker_event_id", sa.Integer, nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("example", sa.Text, nullable=True),
        sa.Column("intent", sa.String(64), nullable=True),
        sa.Column("predicted_intent", sa.String(64), nullable=True),
        sa.Column("confidence", sa.Float, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("labelled_by", sa.Integer, nullable=True),
        sa.Column("labelled_at", TZ, nullable=False),
        sa.Column("exported_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainer_labels")),
        sa.UniqueConstraint("message_key", name=op.f("uq_trainer_labels_message_key")),
        sa.ForeignKeyConstraint(
            ["labelled_by"],
            ["staff_users.id"],
            name=op.f("fk_trainer_labels_labelled_by_staff_users"),
            ondelete="SET NULL",
        ),
        sa.CheckConstraint(
            "status IN ('labelled', 'dismissed', 'exported', 'duplicate', 'conflict')",
            name=op.f("ck_trainer_labels_status"),
        ),
    )
    op.create_index(op.f("ix_trainer_labels_status"), "trainer_labels", ["status"])


def downgrade() -> None:
    op.drop_table("trainer_labels")
    op.drop_table("callback_requests")
    op.drop_table("staff_audit_log")
    op.drop_table("staff_login_attempts")
    op.drop_table("staff_sessions")
    op.drop_table("staff_users")
