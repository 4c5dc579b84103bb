package io.github.pgreplication.internal;

/** Every SQL statement the library sends, in one place. Values are bound as parameters wherever PostgreSQL allows. */
public final class Sql {
    /** Server version number, e.g. 170011. */
    public static final String SERVER_VERSION_NUM = "SELECT current_setting('server_version_num')::int";
    /** What apply() checks of the primary first, in one row: version number, in recovery, WAL senders, slots. */
    public static final String PRIMARY_FACTS = "SELECT current_setting('server_version_num'), pg_is_in_recovery(),"
            + " current_setting('max_wal_senders'), current_setting('max_replication_slots')";
    /**
     * A standby's facts that tell whether apply() finds it in place: in recovery, its data directory, and its WAL
     * receiver's status, sender host and port.
     */
    public static final String STANDBY_IN_PLACE = "SELECT pg_is_in_recovery(), current_setting('data_directory'),"
            + " coalesce((SELECT status FROM pg_stat_wal_receiver), 'none'),"
            + " coalesce((SELECT sender_host FROM pg_stat_wal_receiver), ''),"
            + " coalesce((SELECT sender_port::text FROM pg_stat_wal_receiver), '')";
    /** Parameters' values as a server's sessions see them, one row per name bound (a text array): name, value. */
    public static final String CURRENT_SETTINGS = "SELECT n, current_setting(n, true) FROM unnest(?::text[]) AS u(n)";
    /** Whether the server is a standby. */
    public static final String IN_RECOVERY = "SELECT pg_is_in_recovery()";
    /** The data directory. */
    public static final String DATA_DIRECTORY = "SELECT current_setting('data_directory')";
    /** The pg_hba.conf path and its text, read by the server (superusers and pg_read_server_files may). */
    public static final String HBA_TEXT = "SELECT current_setting('hba_file'), pg_read_file(current_setting('hba_file'))";
    /** The pg_hba.conf path. */
    public static final String HBA_FILE = "SELECT current_setting('hba_file')";
    /** The cluster's system identifier (same on a primary and its standbys). */
    public static final String SYSTEM_IDENTIFIER = "SELECT system_identifier::text FROM pg_control_system()";
    /** Position after the last WAL record inserted, and the WAL segment size. */
    public static final String INSERT_LSN =
            "SELECT pg_current_wal_insert_lsn()::text, (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size')";
    /** The primary's synchronous standbys, empty when replication is asynchronous. */
    public static final String SYNCHRONOUS_STANDBY_NAMES = "SELECT current_setting('synchronous_standby_names')";
    /**
     * The synchronous-replication settings a node's sessions get: synchronous_standby_names, and synchronous_commit's
     * reset_val (the library's own session runs with synchronous_commit = local).
     */
    public static final String SYNC_SETTINGS = "SELECT current_setting('synchronous_standby_names'),"
            + " (SELECT reset_val FROM pg_settings WHERE name = 'synchronous_commit')";
    /** Streaming standbys and their sync_state, as the primary sees them, by name. */
    public static final String SYNC_STATES = "SELECT application_name::text, sync_state::text FROM pg_stat_replication"
            + " WHERE state = 'streaming' ORDER BY 1";
    /** Reloads configuration files. */
    public static final String RELOAD = "SELECT pg_reload_conf()";
    /**
     * One parameter's value as the server gives it to sessions (reset_val: not the library's own session values,
     * e.g. its synchronous_commit = local), unit, type and restart flag; bind the name.
     */
    public static final String SETTING =
            "SELECT reset_val, unit, vartype, pending_restart, context FROM pg_settings WHERE name = ?";
    /**
     * Several parameters in one statement, one row per name bound (a text array), in its order: the name, then
     * reset_val, unit, vartype, pending_restart and context as {@link #SETTING} gives them (null for a name pg_settings
     * does not list: a custom parameter no loaded library defines), then its value as text from
     * {@code current_setting(name, true)} (what a custom parameter holds).
     */
    public static final String SETTINGS = "SELECT n, s.reset_val, s.unit, s.vartype, s.pending_restart, s.context,"
            + " current_setting(n, true) FROM unnest(?::text[]) WITH ORDINALITY AS u(n, i)"
            + " LEFT JOIN pg_settings s ON lower(s.name) = lower(n) ORDER BY i"; // TimeZone, DateStyle: mixed case
    /** A custom (dotted) parameter's value as text, null when not set; bind the name. */
    public static final String CUSTOM_SETTING = "SELECT current_setting(?, true)";
    /**
     * Reloads the configuration files and tells their errors, as the server parses them now, in one row: true, then
     * the errors joined ({@code file:line name: error; ...}) or null; "setting could not be applied" only means a
     * restart is pending, which pg_settings.pending_restart reports. The reload is in the target list of an
     * aggregate, so it runs once whether there are errors or not.
     */
    public static final String RELOAD_AND_FILE_ERRORS = "SELECT pg_reload_conf(), string_agg(format('%s:%s %s: %s',"
            + " sourcefile, sourceline, name, error), '; ' ORDER BY seqno) FROM pg_file_settings"
            + " WHERE error IS NOT NULL AND error <> 'setting could not be applied'";
    /**
     * A role's attributes and the server's {@code scram_iterations} (null before PostgreSQL 16), in one row whether
     * the role exists or not (its columns null when it does not); bind the name.
     */
    public static final String ROLE_AND_ITERATIONS = "SELECT a.rolreplication, a.rolcanlogin, a.rolpassword,"
            + " current_setting('scram_iterations', true) FROM (VALUES (1)) AS one(x)"
            + " LEFT JOIN pg_authid a ON a.rolname = ?";
    /** pg_hba.conf lines that do not parse. */
    public static final String HBA_ERRORS =
            "SELECT line_number, error FROM pg_hba_file_rules WHERE error IS NOT NULL ORDER BY line_number";
    /** pg_hba.conf rule count, to check the rules written were read. */
    public static final String HBA_RULE_COUNT = "SELECT count(*) FROM pg_hba_file_rules WHERE error IS NULL";
    /** A slot's type; bind the name. */
    public static final String SLOT_TYPE = "SELECT slot_type FROM pg_replication_slots WHERE slot_name = ?";
    /** A slot's wal_status ({@code reserved}, {@code extended}, {@code unreserved}, {@code lost}); bind the name. */
    public static final String SLOT_WAL_STATUS = "SELECT coalesce(wal_status::text, '') FROM pg_replication_slots"
            + " WHERE slot_name = ?";
    /** Creates a physical slot reserving WAL now; bind the name. */
    public static final String CREATE_SLOT = "SELECT pg_create_physical_replication_slot(?, true)";
    /** Drops a slot; bind the name. */
    public static final String DROP_SLOT = "SELECT pg_drop_replication_slot(?)";
    /**
     * What an upstream standby tells of the standbys streaming from it and of its slots, in the rows of
     * {@link #STATUS} without the primary's (a standby has no current WAL position to write).
     */
    public static final String UPSTREAM_STATUS = "SELECT 'standby', application_name::text, state::text,"
            + " sync_state::text, sent_lsn::text, write_lsn::text, flush_lsn::text, replay_lsn::text,"
            + " (extract(epoch FROM replay_lag) * 1000)::bigint::text FROM pg_stat_replication"
            + " UNION ALL SELECT 'slot', slot_name::text, CASE WHEN active THEN 't' ELSE 'f' END, wal_status::text,"
            + " restart_lsn::text, safe_wal_size::text, NULL, NULL, NULL FROM pg_replication_slots"
            + " WHERE slot_type = 'physical'";
    /**
     * Everything status() reports, in one statement: one row per connected standby ({@code standby}, as
     * pg_stat_replication lists it), per physical slot ({@code slot}), then the primary's WAL position
     * ({@code primary}). The branches of a UNION ALL run in order, so the position is read after the standbys' and
     * slots' positions: none of those can be ahead of it; its row also carries synchronous_standby_names. Differences
     * are computed from these values, not here.
     */
    public static final String STATUS = UPSTREAM_STATUS
            + " UNION ALL SELECT 'primary', NULL, NULL, NULL, pg_current_wal_lsn()::text,"
            + " current_setting('synchronous_standby_names'), NULL, NULL, NULL";
    /**
     * The slot a standby streams through, as the primary sees it: one row per WAL sender streaming to that
     * application_name, the expected slot (the second parameter) first; '' for a WAL sender that holds no slot; no row
     * when the primary lists none streaming. A WAL sender acquires its slot before it streams, so a streaming one
     * without the slot stays so.
     */
    public static final String STANDBY_STREAMING_SLOT = "SELECT coalesce(s.slot_name::text, '')"
            + " FROM pg_stat_replication r LEFT JOIN pg_replication_slots s ON s.active_pid = r.pid"
            + " WHERE r.application_name = ? AND r.state = 'streaming'"
            + " ORDER BY s.slot_name::text = ? DESC NULLS LAST LIMIT 1";
    /**
     * A standby's view of itself on one line: in recovery, WAL receiver status, last replayed LSN. Also run by
     * psql, so it uses no parameters.
     */
    public static final String STANDBY_PROBE = "SELECT pg_is_in_recovery(),"
            + " coalesce((SELECT status FROM pg_stat_wal_receiver), 'none'),"
            + " coalesce(pg_last_wal_replay_lsn()::text, '')";

    /**
     * One node's view of itself, on a primary or a standby, in one row (no parameters, so psql can send it too): in
     * recovery, version, system identifier, timeline, WAL position (current on a primary, received on a standby),
     * replayed position, WAL receiver status and sender host, replay paused, and the end of WAL the WAL receiver's
     * sender last reported.
     */
    public static final String NODE_STATE = "SELECT pg_is_in_recovery(), current_setting('server_version_num'),"
            + " (SELECT system_identifier::text FROM pg_control_system()),"
            + " CASE WHEN pg_is_in_recovery() THEN coalesce((SELECT received_tli FROM pg_stat_wal_receiver"
            + " WHERE received_tli > 0), (SELECT timeline_id FROM pg_control_checkpoint()))"
            + " ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END,"
            + " CASE WHEN pg_is_in_recovery() THEN coalesce(pg_last_wal_receive_lsn()::text, '')"
            + " ELSE pg_current_wal_lsn()::text END,"
            + " coalesce(pg_last_wal_replay_lsn()::text, ''),"
            + " coalesce((SELECT status FROM pg_stat_wal_receiver), 'none'),"
            + " coalesce((SELECT sender_host FROM pg_stat_wal_receiver), ''),"
            + " CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END,"
            + " coalesce((SELECT latest_end_lsn::text FROM pg_stat_wal_receiver), '')";
    /** A checkpoint, so that pg_control and pg_rewind see the latest timeline and redo point. */
    public static final String CHECKPOINT = "CHECKPOINT";
    /** Promotes a standby and waits up to 60 s until it accepts writes. */
    public static final String PROMOTE = "SELECT pg_promote(true, 60)";
    /** Forgets the standby settings a promoted node copied from its past (they would mislead a reader). */
    public static final String RESET_CONNINFO = "ALTER SYSTEM RESET primary_conninfo";
    /** See {@link #RESET_CONNINFO}. */
    public static final String RESET_SLOT_NAME = "ALTER SYSTEM RESET primary_slot_name";
    /** Standbys streaming, as the primary sees them: application_name and state. */
    public static final String STREAMING_NAMES =
            "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming' ORDER BY 1";
    /** A slot's active flag and the pid of the WAL sender using it; bind the name. */
    public static final String SLOT_ACTIVE = "SELECT active, active_pid FROM pg_replication_slots WHERE slot_name = ?";
    /** The primary_conninfo and primary_slot_name in effect on a standby. */
    public static final String STANDBY_SETTINGS =
            "SELECT current_setting('primary_conninfo'), current_setting('primary_slot_name')";

    private Sql() {
    }
}
