package io.lorafab.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.api.model.CreateProductRequest;
import io.lorafab.provisioning.service.AuditTrail;
import io.lorafab.provisioning.service.WorkOrders;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.testkit.browser.Chromium;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The create forms, order close/reopen and the device import, in a real Chromium against the real services. */
class ConsoleFormsBrowserTest extends BrowserTest {

    @BeforeEach
    void start() {
        browser.open(f.base + "/console/sign-in").type("#token", f.token("line-eng", Role.ENGINEER)).click("#sign-in");
    }

    private void fill(String field, String value) {
        browser.type("#f-" + field, value);
    }

    private void choose(String field, String option) {
        new org.openqa.selenium.support.ui.Select(browser.find("#f-" + field)).selectByVisibleText(option);
    }

    @Test
    void aProductCreatedThroughTheFormAppearsInTheListAndABadJoinEuiGetsTheApisOwnMessage() {
        browser.open(f.base + "/console/products").click("#new-product");
        assertThat(browser.path()).isEqualTo("/console/products/new");
        fill("name", "soil-probe");
        fill("joinEui", "70B3D57ED00000ZZ");
        fill("profileId", "0000FFFF");
        browser.click("#submit");
        browser.screenshot("product-new");

        String apiMessage = null;
        try {
            f.products.create(new CreateProductRequest("other", "70B3D57ED00000ZZ", "1.0.3", "EU868", "0000FFFF", null, null,
                    null, null, null, null, null), "test");
        } catch (RuntimeException e) {
            apiMessage = e.getMessage();
        }
        assertThat(apiMessage).startsWith("field 'joinEui': ");
        assertThat(browser.find("#form-error").getText()).isEqualTo(apiMessage);
        assertThat(browser.find(".field.invalid #f-joinEui")).isNotNull();
        assertThat(browser.find("#f-name").getAttribute("value")).isEqualTo("soil-probe"); // the values are kept
        assertThat(f.products.all()).isEmpty();

        fill("joinEui", "70B3D57ED0000001");
        browser.click("#submit");
        assertThat(browser.path()).isEqualTo("/console/products");
        assertThat(browser.find("#products").getText()).contains("soil-probe");
        assertThat(f.products.all()).extracting(p -> p.name()).containsExactly("soil-probe");
        assertThat(audit("product.create")).hasSize(1).first().extracting(AuditEvent::actor).asString().contains("line-eng");
    }

    @Test
    void aProductsNetIdsAreSetThroughItsFormTheOnlyEditTheApiAllows() {
        f.product("demo-tracker");
        browser.open(f.base + "/console/products").click("#products a[href$='/net-ids']");
        fill("netIds", "00001Z");
        browser.click("#submit");
        assertThat(browser.find("#form-error").getText()).isNotBlank();
        assertThat(f.products.netIds(f.products.byName("demo-tracker")).isEmpty()).isTrue();
        fill("netIds", "000013, 000042");
        browser.click("#submit");
        assertThat(browser.text()).contains("NetIDs of demo-tracker set");
        assertThat(f.products.netIds(f.products.byName("demo-tracker")).toString()).isEqualTo("000013,000042");
        assertThat(audit("product.net_ids")).hasSize(1);
    }

    @Test
    void anEuiBlockCreatedThroughTheFormAppearsInTheList() {
        f.product("demo-tracker");
        browser.open(f.base + "/console/eui-blocks").click("#new-eui-block");
        fill("name", "block-a");
        choose("product", "demo-tracker");
        fill("prefix", "70B3D5");
        fill("first", "70B3D57ED0001000");
        fill("size", "100");
        browser.click("#submit");
        assertThat(browser.path()).isEqualTo("/console/eui-blocks");
        assertThat(browser.find("#eui-blocks").getText()).contains("block-a", "demo-tracker", "100");
        assertThat(audit("eui_block.create")).hasSize(1);
    }

    @Test
    void anOrderOpenedClosedAndReopenedThroughTheFormsIsAuditedAsTheApiDoesIt() {
        f.product("demo-tracker");
        browser.open(f.base + "/console/products").click("#new-order");
        fill("quantity", "many");
        browser.click("#submit");
        assertThat(browser.find("#form-error").getText()).isEqualTo("field 'quantity' must be an integer");
        fill("quantity", "50");
        fill("reference", "WO-FORM-1");
        browser.screenshot("order-new");
        browser.click("#submit");
        WorkOrders orders = f.console.services().workOrders();
        assertThat(orders.byReference("WO-FORM-1").quantity()).isEqualTo(50);
        assertThat(browser.path()).isEqualTo("/console/orders/WO-FORM-1");
        assertThat(browser.text()).contains("Work order WO-FORM-1 opened");
        browser.open(f.base + "/console/orders");
        assertThat(browser.find("#orders").getText()).contains("WO-FORM-1", "demo-tracker");

        browser.open(f.base + "/console/orders/WO-FORM-1").click("#close-order");
        assertThat(browser.path()).isEqualTo(OrderFormsPage.closePath("WO-FORM-1"));
        fill("reason", "batch recalled");
        browser.click("#submit");
        assertThat(browser.path()).isEqualTo("/console/orders/WO-FORM-1");
        // the same order of things through the service, as POST /api/orders/{ref}/close calls it
        String actor = audit("work_order.create").get(0).actor(); // the API's r.actor() for the same token
        var other = orders.create("WO-API-1", f.products.byName("demo-tracker"), 50, actor);
        orders.close(other, "batch recalled", actor);
        List<AuditEvent> closes = audit("work_order.close");
        assertThat(closes).hasSize(2);
        assertThat(closes.get(0).details()).isEqualTo(closes.get(1).details()).isEqualTo("reason=batch recalled");
        assertThat(closes.get(0).actor()).isEqualTo(closes.get(1).actor());
        assertThat(closes).extracting(AuditEvent::subject).containsExactlyInAnyOrder("work_order:WO-FORM-1", "work_order:WO-API-1");
        assertThat(orders.byReference("WO-FORM-1").state().name()).isEqualTo("CLOSED");

        browser.click("#reopen-order");
        assertThat(browser.text()).contains("Work order WO-FORM-1 reopened");
        orders.reopen(other, actor);
        List<AuditEvent> reopens = audit("work_order.reopen");
        assertThat(reopens).hasSize(2);
        assertThat(reopens.get(0).details()).isEqualTo(reopens.get(1).details());
        assertThat(reopens.get(0).actor()).isEqualTo(reopens.get(1).actor());
    }

    @Test
    void aCsvWithThreeBadLinesShowsEachByLineAndImportsNothingThenAGoodOneIsCommitted() throws Exception {
        f.product("demo-tracker");
        byte[] k1 = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] k2 = HexFormat.of().parseHex("101112131415161718191a1b1c1d1e1f");
        byte[] k3 = HexFormat.of().parseHex("202122232425262728292a2b2c2d2e2f");
        String hex1 = HexFormat.of().formatHex(k1);
        String hex2 = HexFormat.of().formatHex(k2);
        String hex3 = HexFormat.of().formatHex(k3);
        String bad = "dev_eui,join_eui,app_key\n"
                + "70b3d57ed0001001,70b3d57ed0000001," + hex1 + "\n"
                + "70b3d57ed00010zz,70b3d57ed0000001," + hex2 + "\n"            // line 3: DevEUI
                + "70b3d57ed0001003,70b3d57ed0000001," + hex3.substring(2) + "\n" // line 4: short key
                + "70b3d57ed0001004,nope," + hex3 + "\n"                         // line 5: JoinEUI
                + "70b3d57ed0001005,70b3d57ed0000001," + hex2 + "\n";
        Path badFile = dir.resolve("bad.csv");
        Files.writeString(badFile, bad);
        long before = units();

        browser.open(f.base + "/console/products").click("#import-devices");
        choose("product", "demo-tracker");
        browser.find("#f-file").sendKeys(badFile.toAbsolutePath().toString());
        browser.click("#check");
        String table = browser.find("#problems").getText();
        assertThat(browser.findAll("#problems tbody tr")).extracting(r -> r.findElement(org.openqa.selenium.By.cssSelector("td"))
                .getText()).containsExactly("3", "4", "5");
        assertThat(table).contains("app_key");
        browser.assertNoSecrets(List.of(k1, k2, k3, HexFormat.of().parseHex(hex3.substring(2))));
        browser.screenshot("import-problems");
        assertThat(units()).isEqualTo(before);
        assertThat(audit("devices.import")).isEmpty();

        Path good = dir.resolve("good.csv");
        Files.writeString(good, "dev_eui,join_eui,app_key\n"
                + "70b3d57ed0001001,70b3d57ed0000001," + hex1 + "\n"
                + "70b3d57ed0001002,70b3d57ed0000001," + hex2 + "\n");
        browser.open(f.base + "/console/devices/import");
        browser.find("#f-file").sendKeys(good.toAbsolutePath().toString());
        browser.click("#check");
        assertThat(browser.find("#summary").getText()).contains("2 devices, no problem found");
        browser.assertNoSecrets(List.of(k1, k2));
        assertThat(units()).isEqualTo(before);
        // the checked file is kept a few minutes only: after that the commit asks for it again and imports nothing
        f.clock.advance(DeviceImportPage.KEPT.plusSeconds(1));
        browser.click("#commit");
        assertThat(browser.text()).contains("no longer kept");
        assertThat(units()).isEqualTo(before);
        browser.find("#f-file").sendKeys(good.toAbsolutePath().toString());
        browser.click("#check");
        browser.click("#commit");
        assertThat(browser.text()).contains("Imported 2 devices");
        assertThat(units()).isEqualTo(before + 2);
        assertThat(audit("devices.import")).hasSize(1).first().extracting(AuditEvent::details).isNull();
    }

    @Test
    void anUploadWithoutTheSessionsCsrfTokenIsRefusedAndImportsNothing() throws Exception {
        String cookie = browser.driver().manage().getCookieNamed(Console.SESSION_COOKIE).getValue();
        String body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n\r\n"
                + "dev_eui,join_eui,app_key\r\n--b--\r\n";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.base + "/console/devices/import"))
                .header("Cookie", Console.SESSION_COOKIE + "=" + cookie).header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("security token");
        assertThat(units()).isZero();
    }

    private List<AuditEvent> audit(String action) {
        return new AuditTrail(f.registry, f.clock).find(new AuditTrail.Filter(null, action, null, null, null, 100), n -> n);
    }

    private long units() {
        return f.registry.units(new UnitQuery(null, null, null, null, 0, 10_000)).size();
    }
}
