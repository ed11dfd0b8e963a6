package io.thingport.shell.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How shell command lines are kept in the access log: every secret value masked, the rest as typed. */
class CommandLinesTest {

    @Test
    void anOptionNamingASecretHasItsValueMaskedInEveryForm() {
        // Verifies --secret x, --secret=x, quoted values, and the other names (password, passwd, token, key, psk).
        assertThat(CommandLines.mask("iot:device-create p1 d1 --secret s3cr3t-Value --name Kitchen"))
                .isEqualTo("iot:device-create p1 d1 --secret **** --name Kitchen");
        assertThat(CommandLines.mask("iot:device-create --secret=s3cr3t p1 d1")).isEqualTo("iot:device-create --secret=**** p1 d1");
        assertThat(CommandLines.mask("iot:product-create --secret \"two words\" p1")).isEqualTo("iot:product-create --secret **** p1");
        assertThat(CommandLines.mask("iot:x --password 'a b c' --Passwd x --api-token t --key k.pem --psk 00ff --MY-SECRET=\"q r\""))
                .isEqualTo("iot:x --password **** --Passwd **** --api-token **** --key **** --psk **** --MY-SECRET=****");
    }

    @Test
    void keyValueArgumentsAndActionPairsNamingASecretAreMasked() {
        // Verifies name=value arguments (network and data-source settings) and the comma-separated pairs of a rule
        // action, whatever the case of the name.
        assertThat(CommandLines.mask("iot:network-update broker password=hunter2 remoteHost=10.0.0.5 pskKey=abcd"))
                .isEqualTo("iot:network-update broker password=**** remoteHost=10.0.0.5 pskKey=****");
        assertThat(CommandLines.mask("iot:datasource-add db jdbc url=jdbc:postgresql://h/db user=iot password=\"p w\""))
                .isEqualTo("iot:datasource-add db jdbc url=jdbc:postgresql://h/db user=iot password=****");
        assertThat(CommandLines.mask("iot:rule-create hot hot.sql http:url=http://h/x?a=1,secret=0123456789abcdef,timeout=5 log:"))
                .isEqualTo("iot:rule-create hot hot.sql http:url=http://h/x?a=1,secret=****,timeout=5 log:");
        assertThat(CommandLines.mask("iot:rule-create r r.sql mqtt:TOKEN=abc")).isEqualTo("iot:rule-create r r.sql mqtt:TOKEN=****");
    }

    @Test
    void everythingElseIsKeptAsTyped() {
        // Verifies that lines without secrets, switches such as --show-secret, and the spacing stay unchanged, and that
        // a masked value never swallows a pipe or the next command.
        assertThat(CommandLines.mask("iot:device-list   --product p1")).isEqualTo("iot:device-list   --product p1");
        assertThat(CommandLines.mask("iot:product-info --show-secret p1")).isEqualTo("iot:product-info --show-secret p1");
        assertThat(CommandLines.mask("iot:app-create Billing --role operator --source 10.0.0.0/8"))
                .isEqualTo("iot:app-create Billing --role operator --source 10.0.0.0/8");
        assertThat(CommandLines.mask("iot:x --secret | grep y")).isEqualTo("iot:x --secret | grep y");
        assertThat(CommandLines.mask("iot:x --secret a;iot:y --token b\niot:z")).isEqualTo("iot:x --secret ****;iot:y --token ****\niot:z");
        assertThat(CommandLines.mask("echo \"password=x\" 'a\\'")).isEqualTo("echo \"password=**** 'a\\'");
        assertThat(CommandLines.mask("")).isEmpty();
        assertThat(CommandLines.mask(null)).isEmpty();
    }

    @Test
    void anUnterminatedQuoteIsMaskedToTheEndOfTheLine() {
        // Verifies that a value whose quote never closes is masked whole, never partly shown.
        assertThat(CommandLines.mask("iot:device-create p1 d1 --secret \"abc def")).isEqualTo("iot:device-create p1 d1 --secret ****");
    }

    @Test
    void karafsOwnPositionalSecretsAreMasked() {
        // Verifies the password of jaas:user-add (typed alone or after ; on one line) and a secret property's value.
        assertThat(CommandLines.mask("jaas:realm-manage --realm karaf; jaas:user-add alice s3cr3t-alice; jaas:update"))
                .isEqualTo("jaas:realm-manage --realm karaf; jaas:user-add alice ****; jaas:update");
        assertThat(CommandLines.mask("jaas:useradd bob pw")).isEqualTo("jaas:useradd bob ****");
        assertThat(CommandLines.mask("config:property-set password hunter2")).isEqualTo("config:property-set password ****");
        assertThat(CommandLines.mask("config:property-set port 8181")).isEqualTo("config:property-set port 8181");
        assertThat(CommandLines.mask("iot:device-list")).isEqualTo("iot:device-list");
    }
}
