package io.runbook.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionSettingsTest {
    /** An environment with no PG* variables and a HOME without .pgpass, so the real environment never leaks in. */
    @TempDir
    Path home;

    private Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("HOME", home.toString());
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private ConnectionSettings resolve(String db, String... env) {
        return ConnectionSettings.resolve(db, env(env), "osuser");
    }

    @Nested
    class Uri {
        @Test
        void fullUri() {
            ConnectionSettings s = resolve("postgresql://alice:secret@db.example.com:6543/app");
            assertThat(s.host()).isEqualTo("db.example.com");
            assertThat(s.port()).isEqualTo(6543);
            assertThat(s.database()).isEqualTo("app");
            assertThat(s.user()).isEqualTo("alice");
            assertThat(s.password()).isEqualTo("secret");
            assertThat(s.properties()).isEmpty();
            assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/app");
        }

        @Test
        void postgresSchemeAndDefaults() {
            ConnectionSettings s = resolve("postgres://bob@somehost");
            assertThat(s.host()).isEqualTo("somehost");
            assertThat(s.port()).isEqualTo(5432);
            assertThat(s.user()).isEqualTo("bob");
            assertThat(s.database()).isEqualTo("bob"); // libpq: database defaults to the user name
            assertThat(s.password()).isNull();
        }

        @Test
        void percentEncodedPasswordAndNames() {
            ConnectionSettings s = resolve("postgresql://us%40er:p%40ss%3Aw%2Fo%25rd+x%20y@h/my%20db");
            assertThat(s.user()).isEqualTo("us@er");
            assertThat(s.password()).isEqualTo("p@ss:w/o%rd+x y"); // '+' stays '+', as in libpq
            assertThat(s.database()).isEqualTo("my db");
            assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/my+db");
            assertThat(org.postgresql.Driver.parseURL(s.jdbcUrl(), null).getProperty("PGDBNAME"))
                    .isEqualTo("my db");
        }

        @Test
        void utf8PercentEncoding() {
            assertThat(resolve("postgresql://u:%C3%A9t%C3%A9@h/d").password()).isEqualTo("été");
        }

        @Test
        void unencodedSpecialCharactersInPasswordAreTolerated() {
            ConnectionSettings s = resolve("postgresql://u:pa/ss@w?rd@h:5433/d?sslmode=disable");
            assertThat(s.password()).isEqualTo("pa/ss@w?rd");
            assertThat(s.host()).isEqualTo("h");
            assertThat(s.port()).isEqualTo(5433);
            assertThat(s.properties()).containsExactly(entry("sslmode", "disable"));
        }

        @Test
        void atSignInQueryValue() {
            for (String uri : new String[] {
                "postgresql://h/d?application_name=a@b",
                "postgresql://h:5433/d?application_name=a@b",
                "postgresql://u:pw@h/d?application_name=a%40b"
            }) {
                ConnectionSettings s = resolve(uri);
                assertThat(s.host()).as(uri).isEqualTo("h");
                assertThat(s.database()).as(uri).isEqualTo("d");
                assertThat(s.properties()).as(uri).containsExactly(entry("ApplicationName", "a@b"));
            }
        }

        @Test
        void queryParametersBecomePgjdbcProperties() {
            ConnectionSettings s = resolve("postgresql://u@h/d?sslmode=require&application_name=my%20app"
                    + "&connect_timeout=7&options=-c%20statement_timeout%3D5s&prepareThreshold=0");
            assertThat(s.properties())
                    .containsOnly(
                            entry("sslmode", "require"),
                            entry("ApplicationName", "my app"),
                            entry("connectTimeout", "7"),
                            entry("options", "-c statement_timeout=5s"),
                            entry("prepareThreshold", "0"));
        }

        @Test
        void credentialsInQueryParameters() {
            ConnectionSettings s = resolve("postgresql:///d?host=h&port=5444&user=u&password=p%26q");
            assertThat(s.describe()).isEqualTo("u@h:5444/d");
            assertThat(s.password()).isEqualTo("p&q");
            assertThat(s.properties()).isEmpty();
        }

        @Test
        void ipv6Host() {
            ConnectionSettings s = resolve("postgresql://u@[::1]:5433/d");
            assertThat(s.host()).isEqualTo("::1");
            assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5433/d");
            assertThat(s.describe()).isEqualTo("u@[::1]:5433/d");
        }

        @Test
        void missingPartsComeFromPgEnvironment() {
            ConnectionSettings s = resolve(
                    "postgresql:///app",
                    "PGHOST",
                    "envhost",
                    "PGPORT",
                    "6000",
                    "PGUSER",
                    "envuser",
                    "PGPASSWORD",
                    "envpw",
                    "PGSSLMODE",
                    "verify-full");
            assertThat(s.describe()).isEqualTo("envuser@envhost:6000/app");
            assertThat(s.password()).isEqualTo("envpw");
            assertThat(s.properties()).containsExactly(entry("sslmode", "verify-full"));
        }

        @Test
        void uriBeatsPgEnvironment() {
            ConnectionSettings s = resolve(
                    "postgresql://u:p@h:1234/d?sslmode=disable",
                    "PGHOST",
                    "envhost",
                    "PGPORT",
                    "6000",
                    "PGUSER",
                    "envuser",
                    "PGDATABASE",
                    "envdb",
                    "PGPASSWORD",
                    "envpw",
                    "PGSSLMODE",
                    "require");
            assertThat(s.describe()).isEqualTo("u@h:1234/d");
            assertThat(s.password()).isEqualTo("p");
            assertThat(s.properties()).containsExactly(entry("sslmode", "disable"));
        }
    }

    @Nested
    class JdbcUrl {
        @Test
        void parsedByPgjdbc() {
            ConnectionSettings s =
                    resolve("jdbc:postgresql://h:5433/d?user=u&password=s%3Bx&sslmode=require" + "&ApplicationName=a");
            assertThat(s.describe()).isEqualTo("u@h:5433/d");
            assertThat(s.password()).isEqualTo("s;x");
            assertThat(s.properties()).containsOnly(entry("sslmode", "require"), entry("ApplicationName", "a"));
            assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5433/d");
        }

        @Test
        void userAndDatabaseFromEnvironmentWhenAbsent() {
            ConnectionSettings s = resolve("jdbc:postgresql://h/", "PGUSER", "envuser");
            assertThat(s.describe()).isEqualTo("envuser@h:5432/envuser");
        }

        @Test
        void invalidJdbcUrl() {
            assertThatThrownBy(() -> resolve("jdbc:postgresql://h:notaport/d?password=hunter2"))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageContaining("--db")
                    .hasMessageContaining("JDBC URL")
                    .hasMessageContaining("accepted forms")
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Nested
    class KeywordValue {
        @Test
        void libpqKeywordValue() {
            ConnectionSettings s = resolve("host=h port=5433 dbname=d user=u password=pw sslmode=prefer");
            assertThat(s.describe()).isEqualTo("u@h:5433/d");
            assertThat(s.password()).isEqualTo("pw");
            assertThat(s.properties()).containsExactly(entry("sslmode", "prefer"));
        }

        @Test
        void quotingEscapingAndSpacesAroundEquals() {
            ConnectionSettings s = resolve(
                    "  host = h   dbname='my db' password='it\\'s \\\\ secret' user=u\\ v " + "application_name=''");
            assertThat(s.host()).isEqualTo("h");
            assertThat(s.database()).isEqualTo("my db");
            assertThat(s.password()).isEqualTo("it's \\ secret");
            assertThat(s.user()).isEqualTo("u v");
            assertThat(s.properties()).containsExactly(entry("ApplicationName", ""));
        }

        @Test
        void onlyDatabaseGiven() {
            ConnectionSettings s = resolve("dbname=app", "PGUSER", "envuser");
            assertThat(s.describe()).isEqualTo("envuser@localhost:5432/app");
        }

        @Test
        void unknownKeyword() {
            assertThatThrownBy(() -> resolve("host=h nosuchoption=1 password=hunter2"))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageContaining("unknown connection parameter \"nosuchoption\"")
                    .hasMessageContaining("password=****")
                    .hasMessageNotContaining("hunter2");
        }

        @Test
        void unterminatedQuote() {
            assertThatThrownBy(() -> resolve("host=h password='hunter2"))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageContaining("unterminated")
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Nested
    class Environment {
        @Test
        void defaultsWithEmptyEnvironment() {
            ConnectionSettings s = resolve(null);
            assertThat(s.describe()).isEqualTo("osuser@localhost:5432/osuser");
            assertThat(s.password()).isNull();
            assertThat(s.properties()).isEmpty();
        }

        @Test
        void pgVariables() {
            ConnectionSettings s = resolve(
                    null,
                    "PGHOST",
                    "h",
                    "PGPORT",
                    "5999",
                    "PGUSER",
                    "u",
                    "PGDATABASE",
                    "d",
                    "PGPASSWORD",
                    "pw",
                    "PGAPPNAME",
                    "app",
                    "PGCONNECT_TIMEOUT",
                    "3");
            assertThat(s.describe()).isEqualTo("u@h:5999/d");
            assertThat(s.password()).isEqualTo("pw");
            assertThat(s.properties()).containsOnly(entry("ApplicationName", "app"), entry("connectTimeout", "3"));
        }

        @Test
        void databaseDefaultsToPgUser() {
            assertThat(resolve(null, "PGUSER", "u").database()).isEqualTo("u");
        }

        @Test
        void databaseUrlBeforePgVariables() {
            ConnectionSettings s = resolve(
                    null,
                    "DATABASE_URL",
                    "postgres://du:dp@dh:5555/dd",
                    "PGHOST",
                    "h",
                    "PGUSER",
                    "u",
                    "PGPASSWORD",
                    "pw");
            assertThat(s.describe()).isEqualTo("du@dh:5555/dd");
            assertThat(s.password()).isEqualTo("dp");
        }

        @Test
        void dbOptionBeforeDatabaseUrl() {
            ConnectionSettings s = resolve("host=opt dbname=o user=ou", "DATABASE_URL", "postgres://du@dh/dd");
            assertThat(s.describe()).isEqualTo("ou@opt:5432/o");
        }

        @Test
        void databaseUrlInKeywordValueForm() {
            assertThat(resolve(null, "DATABASE_URL", "host=dh user=du dbname=dd")
                            .describe())
                    .isEqualTo("du@dh:5432/dd");
        }

        @Test
        void blankDatabaseUrlIsIgnored() {
            assertThat(resolve(null, "DATABASE_URL", " ", "PGHOST", "h").host()).isEqualTo("h");
        }

        @Test
        void badPgPort() {
            assertThatThrownBy(() -> resolve(null, "PGPORT", "54x"))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageContaining("invalid PGPORT value \"54x\"")
                    .satisfies(e ->
                            assertThat(((ConnectionConfigException) e).source()).isEqualTo("PGPORT"));
        }

        @Test
        void badDatabaseUrlNamesItsSource() {
            assertThatThrownBy(() -> resolve(null, "DATABASE_URL", "mysql://u:hunter2@h/d"))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageStartingWith("invalid DATABASE_URL value \"mysql://u:****@h/d\"")
                    .hasMessageNotContaining("hunter2");
        }

        @Test
        void pgHostDirectoryIsAUnixSocket() {
            ConnectionSettings s = resolve(null, "PGHOST", "/var/run/postgresql", "PGPORT", "5433");
            assertThat(s.socketFile()).isEqualTo("/var/run/postgresql/.s.PGSQL.5433");
            assertThat(s.describe()).isEqualTo("osuser@/var/run/postgresql:5433/osuser");
        }

        @Test
        void socketInKeywordsAndUriQuery() {
            assertThat(resolve("host=/tmp dbname=d").socketFile()).isEqualTo("/tmp/.s.PGSQL.5432");
            assertThat(resolve("postgresql:///d?host=/var/run/postgresql").socketFile())
                    .isEqualTo("/var/run/postgresql/.s.PGSQL.5432");
            assertThat(resolve("postgresql://%2Fvar%2Frun%2Fpostgresql/d").socketFile())
                    .isEqualTo("/var/run/postgresql/.s.PGSQL.5432");
            assertThat(resolve("host=h dbname=d").socketFile()).isNull();
        }

        @Test
        void socketCannotBeOneOfSeveralHosts() {
            assertThatThrownBy(() -> resolve("host=/tmp,h2 dbname=d"))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageContaining("one of several hosts");
        }
    }

    @Nested
    class Service {
        private Path serviceFile(String name, String content) throws IOException {
            Path f = home.resolve(name);
            Files.writeString(f, content);
            return f;
        }

        @Test
        void serviceInDbReadsPgServiceFileWithPgjdbcsParser() throws IOException {
            Path f = serviceFile("services.conf", """
                    # comment
                    [other]
                    host=elsewhere
                    [prod]
                    host=db.example.com
                    port=6543
                    dbname=app
                    user=alice
                    sslmode=require
                    """);
            ConnectionSettings s = resolve("service=prod", "PGSERVICEFILE", f.toString(), "PGHOST", "ignored");
            assertThat(s.describe()).isEqualTo("alice@db.example.com:6543/app");
            assertThat(s.properties()).containsEntry("sslmode", "require");
            // explicit parameters win over the service file, as in libpq
            assertThat(resolve("service=prod dbname=other", "PGSERVICEFILE", f.toString())
                            .database())
                    .isEqualTo("other");
        }

        @Test
        void pgServiceFromHomeThenSysconfdir() throws IOException {
            serviceFile(".pg_service.conf", "[mine]\nhost=from-home\n");
            Path sys = Files.createDirectories(home.resolve("etc"));
            Files.writeString(sys.resolve("pg_service.conf"), "[shared]\nhost=from-sysconf\ndbname=s\n");
            assertThat(resolve(null, "PGSERVICE", "mine").host()).isEqualTo("from-home");
            assertThat(resolve(null, "PGSERVICE", "shared", "PGSYSCONFDIR", sys.toString())
                            .host())
                    .isEqualTo("from-sysconf");
            assertThat(resolve("postgresql:///?service=shared", "PGSYSCONFDIR", sys.toString())
                            .database())
                    .isEqualTo("s");
        }

        @Test
        void unknownServiceIsAClearError() throws IOException {
            Path f = serviceFile("s.conf", "[prod]\nhost=h\n");
            assertThatThrownBy(() -> resolve("service=foo", "PGSERVICEFILE", f.toString()))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageContaining("service \"foo\" is not defined in " + f);
            assertThatThrownBy(() -> resolve(
                            "service=foo",
                            "PGSERVICEFILE",
                            home.resolve("none.conf").toString()))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageContaining("no connection service file");
        }
    }

    @Nested
    class PasswordFile {
        private Path pgpass(String content, String perms) throws IOException {
            Path f = home.resolve("custom.pgpass");
            Files.writeString(f, content);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
            return f;
        }

        @Test
        void lookedUpThroughPgpassfile() throws IOException {
            Path f = pgpass("""
                    # comment
                    otherhost:5432:*:alice:wrong
                    dbhost:5433:app:alice:fromfile\\:with colon
                    *:*:*:*:fallback
                    """, "rw-------");
            ConnectionSettings s = resolve("postgresql://alice@dbhost:5433/app", "PGPASSFILE", f.toString());
            assertThat(s.password()).isEqualTo("fromfile:with colon");
            ConnectionSettings other = resolve("postgresql://bob@elsewhere/x", "PGPASSFILE", f.toString());
            assertThat(other.password()).isEqualTo("fallback");
        }

        @Test
        void defaultFileInHome() throws IOException {
            Path f = home.resolve(".pgpass");
            Files.writeString(f, "h:5432:d:u:homepw\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            assertThat(resolve("host=h dbname=d user=u").password()).isEqualTo("homepw");
        }

        @Test
        void passfileParameterWins() throws IOException {
            Path f = pgpass("*:*:*:*:fromparam\n", "rw-------");
            assertThat(resolve("host=h user=u passfile=" + f, "PGPASSFILE", "/nonexistent")
                            .password())
                    .isEqualTo("fromparam");
        }

        @Test
        void pgpasswordBeatsFile() throws IOException {
            Path f = pgpass("*:*:*:*:fromfile\n", "rw-------");
            assertThat(resolve("host=h user=u", "PGPASSFILE", f.toString(), "PGPASSWORD", "fromenv")
                            .password())
                    .isEqualTo("fromenv");
        }

        @Test
        void explicitPasswordBeatsFile() throws IOException {
            Path f = pgpass("*:*:*:*:fromfile\n", "rw-------");
            assertThat(resolve("postgresql://u:given@h/d", "PGPASSFILE", f.toString())
                            .password())
                    .isEqualTo("given");
        }

        @Test
        void noMatchingLine() throws IOException {
            Path f = pgpass("otherhost:*:*:*:x\n", "rw-------");
            assertThat(resolve("host=h user=u", "PGPASSFILE", f.toString()).password())
                    .isNull();
        }

        @Test
        void groupReadableFileIsIgnoredLikeLibpq() throws IOException {
            Path f = pgpass("*:*:*:*:leaky\n", "rw-r-----");
            assertThat(resolve("host=h user=u", "PGPASSFILE", f.toString()).password())
                    .isNull();
        }

        @Test
        void missingFile() {
            assertThat(resolve(
                                    "host=h user=u",
                                    "PGPASSFILE",
                                    home.resolve("nope").toString())
                            .password())
                    .isNull();
        }

        @Test
        void doesNotLeaveThePgjdbcPropertyBehind() throws IOException {
            Path f = pgpass("*:*:*:*:x\n", "rw-------");
            resolve("host=h user=u", "PGPASSFILE", f.toString());
            assertThat(System.getProperty("org.postgresql.pgpassfile")).isNull();
        }
    }

    @Nested
    class Secrecy {
        @Test
        void describeAndToStringNeverContainThePassword() {
            ConnectionSettings s = resolve("postgresql://alice:Sup3rS3cret@h:5433/app?sslmode=require");
            assertThat(s.describe()).isEqualTo("alice@h:5433/app");
            assertThat(s.toString()).isEqualTo(s.describe());
            assertThat(s.jdbcUrl()).doesNotContain("Sup3rS3cret").doesNotContain("alice");
            assertThat(s.properties().toString()).doesNotContain("Sup3rS3cret");
            assertThat("" + s).doesNotContain("Sup3rS3cret");
        }

        @Test
        void errorMessagesMaskPasswords() {
            assertThatThrownBy(() -> resolve("postgresql://u:hunter2@h:99999/d"))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageContaining("postgresql://u:****@h:99999/d")
                    .hasMessageContaining("port \"99999\"")
                    .hasMessageContaining("accepted forms")
                    .hasMessageContaining("jdbc:postgresql://")
                    .hasMessageContaining("host=localhost port=5432")
                    .hasMessageNotContaining("hunter2");
            assertThatThrownBy(() -> resolve("postgresql://u:hunter2@h/d?password=hunter2&nosuch=1"))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageContaining("unknown connection parameter \"nosuch\"")
                    .hasMessageNotContaining("hunter2");
            assertThatThrownBy(() -> resolve("postgresql://u:hunter2@h/d?sslmode=%zz"))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageContaining("percent-encoding")
                    .hasMessageNotContaining("hunter2");
        }

        @Test
        void maskingRules() {
            assertThat(Secrets.mask("postgresql://u:p@ss@h/d")).isEqualTo("postgresql://u:****@h/d");
            assertThat(Secrets.mask("host=h password='a b' user=u")).isEqualTo("host=h password=**** user=u");
            assertThat(Secrets.mask("jdbc:postgresql://h/d?user=u&password=x&sslpassword=y"))
                    .isEqualTo("jdbc:postgresql://h/d?user=u&password=****&sslpassword=****");
            assertThat(Secrets.mask("postgresql://h:5432/d")).isEqualTo("postgresql://h:5432/d");
        }
    }

    @Nested
    class BadValues {
        @Test
        void bareWordSuggestsDbname() {
            assertThatThrownBy(() -> resolve("app"))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageContaining("write dbname=app");
        }

        @Test
        void empty() {
            assertThatThrownBy(() -> resolve("  "))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageContaining("empty");
        }

        @Test
        void severalHostsAsLibpqTakesThem() {
            assertThat(resolve("postgresql://h1:5432,h2:5433/d").jdbcUrl())
                    .isEqualTo("jdbc:postgresql://h1:5432,h2:5433/d");
            assertThat(resolve("postgresql://h1,[::1]:5433/d").describe()).isEqualTo("osuser@h1:5432,[::1]:5433/d");
            assertThat(resolve("jdbc:postgresql://h1,h2:6000/d").jdbcUrl())
                    .isEqualTo("jdbc:postgresql://h1:5432,h2:6000/d");
            ConnectionSettings kw = resolve("host=h1,h2 port=6000 dbname=d target_session_attrs=read-write");
            assertThat(kw.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:6000,h2:6000/d"); // one port for every host
            assertThat(kw.properties()).containsEntry("targetServerType", "primary");
            assertThat(kw.libpqHosts()).isEqualTo("h1,h2");
            assertThat(kw.libpqPorts()).isEqualTo("6000,6000");
            assertThat(resolve(null, "PGHOST", "a,b", "PGPORT", "1,2", "PGTARGETSESSIONATTRS", "prefer-standby")
                            .properties())
                    .containsEntry("targetServerType", "preferSecondary");
            assertThatThrownBy(() -> resolve("host=h1,h2,h3 port=1,2 dbname=d"))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageContaining("could not match 2 port numbers to 3 hosts");
            assertThatThrownBy(() -> resolve("host=h1 dbname=d target_session_attrs=whatever"))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageContaining("target_session_attrs");
        }

        @Test
        void targetSourceSaysWhatNamedTheTarget() {
            assertThat(ConnectionSettings.targetSource(null, env())).isNull();
            assertThat(ConnectionSettings.targetSource(null, env("PGUSER", "u", "PGPORT", "1")))
                    .isNull();
            assertThat(ConnectionSettings.targetSource("dbname=x", env())).isEqualTo("--db");
            assertThat(ConnectionSettings.targetSource(null, env("DATABASE_URL", "postgresql:///x")))
                    .isEqualTo("DATABASE_URL");
            assertThat(ConnectionSettings.targetSource(null, env("PGHOST", "h", "PGDATABASE", "d")))
                    .isEqualTo("PGHOST, PGDATABASE");
            assertThat(ConnectionSettings.targetSource(null, env("PGSERVICE", "s")))
                    .isEqualTo("PGSERVICE");
        }

        @Test
        void badConnectTimeout() {
            assertThatThrownBy(() -> resolve("postgresql://h/d?connect_timeout=soon"))
                    .isInstanceOf(ConnectionConfigException.class)
                    .hasMessageContaining("connect_timeout");
        }

        @Test
        void recordRejectsCredentialsInProperties() {
            assertThatThrownBy(() -> new ConnectionSettings("h", 5432, "d", "u", null, Map.of("password", "x")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
