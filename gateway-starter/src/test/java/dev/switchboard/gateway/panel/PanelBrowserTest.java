package dev.switchboard.gateway.panel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testkit.Reply;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The panel in a real browser (headless Chromium) against a gateway in front of a fake LLM server: sign in, make
 * calls (one retried after scripted 503s, with metadata), find them by full-text search and by metadata, open one
 * and see its attempts, watch the live tail, publish an invalid then valid versions, roll back, and see each change
 * take effect on the next call through the playground. Each page's screenshot is saved under
 * {@code <build>/panel/screenshots}. Methods run in order and share one gateway and browser.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PanelBrowserTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private PanelFixture fx;
    private Browser b;

    @BeforeAll
    void start() throws Exception {
        b = Browser.start(1280, 900);
        fx = new PanelFixture(dir.resolve("store"), null);
    }

    @AfterAll
    void stop() {
        if (b != null) {
            b.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    private void open(String hash) {
        b.driver.get(fx.url("/ui/" + hash));
    }

    private List<WebElement> rows() {
        return b.driver.findElements(By.cssSelector("table.calls tbody tr"));
    }

    private int logged() throws Exception {
        return JSON.readTree(fx.getAsAdmin("/v1/logs?limit=200").body()).path("data").size();
    }

    private void awaitLogged(int n) throws Exception {
        long end = System.nanoTime() + 15_000_000_000L;
        while (logged() < n && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(logged()).isGreaterThanOrEqualTo(n);
    }

    @Test
    @Order(1)
    void signIn() throws Exception {
        open("");
        WebElement key = b.visible("input[name=key]");
        b.screenshot("login");
        key.sendKeys("not-the-key", Keys.ENTER);
        assertThat(b.visible("[role=alert]").getText()).contains("invalid admin key");
        key.clear();
        key.sendKeys(PanelFixture.ADMIN_KEY, Keys.ENTER);
        b.visible("#nav a[aria-current=page]");
        assertThat(b.driver.findElement(By.cssSelector("#nav a[aria-current=page]")).getText()).isEqualTo("Logs");
        assertThat(b.driver.manage().getCookieNamed("sb_session").isHttpOnly()).isTrue();
        assertThat((String) b.js("return document.cookie")).doesNotContain("sb_session");
    }

    @Test
    @Order(2)
    void findCallsBySearchAndMetadataAndSeeRetries() throws Exception {
        for (int i = 1; i <= 3; i++) {
            assertThat(fx.post("/v2/deployments/invoke", """
                    {"key": "support", "inputs": {"company": "ACME"}, "messages": [{"role": "user", "content": "Question %d about invoices <b>bold</b>"}],
                     "metadata": {"ticket": "T-100%d", "team": "billing"}}""".formatted(i, i)).statusCode()).isEqualTo(200);
        }
        fx.fake.enqueue(Reply.status(503), Reply.status(503), Reply.text("Your parcel ZX-42 is on its way <script>alert(1)</script>."));
        assertThat(fx.post("/v2/deployments/invoke", """
                {"key": "support", "inputs": {"company": "ACME"}, "messages": [{"role": "user", "content": "Where is parcel ZX-42?"}],
                 "metadata": {"ticket": "T-4242", "team": "shipping"}}""").statusCode()).isEqualTo(200);
        awaitLogged(4);

        open("#/logs");
        b.await(d -> rows().size() >= 4);
        b.screenshot("logs");

        WebElement q = b.visible("#q");
        q.sendKeys("zx-42", Keys.ENTER);
        b.await(d -> rows().size() == 1 && rows().get(0).getText().contains("support"));
        assertThat(b.driver.getCurrentUrl()).contains("q=zx-42");

        open("#/logs");
        b.await(d -> rows().size() >= 4);
        b.driver.findElement(By.cssSelector("details summary")).click();
        WebElement meta = b.visible("input[name=metadata]");
        meta.sendKeys("team=shipping");
        meta.sendKeys(Keys.ENTER);
        b.await(d -> d.getCurrentUrl().contains("metadata.team=shipping") && rows().size() == 1);
        b.screenshot("logs-filtered");

        rows().get(0).findElement(By.cssSelector("a")).click();
        b.withText("h2", "Attempts (3)");
        List<WebElement> attempts = b.driver.findElements(By.cssSelector("ol.timeline li.attempt"));
        assertThat(attempts).hasSize(3);
        assertThat(attempts.get(0).getText()).containsIgnoringCase("first").contains("HTTP 503");
        assertThat(attempts.get(1).getText()).containsIgnoringCase("retry").contains("HTTP 503");
        assertThat(attempts.get(2).getText()).containsIgnoringCase("retry").contains("success");
        WebElement reply = b.visible(".msg.assistant pre");
        assertThat(reply.getText()).contains("<script>alert(1)</script>"); // shown as text, never run or parsed
        assertThat(b.driver.findElements(By.cssSelector(".msg script"))).isEmpty();
        assertThat(b.withText(".facts", "metadata.ticket").getText()).contains("T-4242");
        new org.openqa.selenium.support.ui.Select(b.driver.findElement(By.cssSelector("select[name=thumbs]"))).selectByValue("up");
        b.driver.findElement(By.cssSelector("textarea[name=comment]")).sendKeys("Found the parcel <i>quickly</i>");
        b.driver.findElement(By.cssSelector("form[aria-label='Add feedback'] button[type=submit]")).click();
        assertThat(b.withText("ul.feedback", "Found the parcel").getText()).contains("<i>quickly</i>").contains("admin");
        b.fullScreenshot("call", 1280);
    }

    @Test
    @Order(3)
    void newCallsAppearInTheLiveTail() throws Exception {
        open("#/logs?live=1");
        b.await(d -> rows().size() >= 4);
        b.visible("#live[data-connected]"); // the stream's first ping arrived
        assertThat(fx.post("/v2/deployments/invoke", """
                {"key": "greet", "inputs": {"name": "Tailing Tom"}, "metadata": {"ticket": "T-LIVE"}}""").statusCode()).isEqualTo(200);
        WebElement fresh = b.await(d -> d.findElements(By.cssSelector("table.calls tbody tr.fresh")).stream().findFirst().orElse(null));
        assertThat(fresh.getText()).contains("greet");
        b.screenshot("logs-live");
    }

    private void setEditor(String json) {
        WebElement text = b.visible("#definition");
        b.js("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", text, json);
    }

    /** Runs the playground until it answers with {@code version} (a publish reaches the engine within the store's poll). */
    private WebElement play(String context, String version) throws Exception {
        long end = System.nanoTime() + 15_000_000_000L;
        while (true) {
            open("#/deployments/greet?tab=playground");
            WebElement inputs = b.visible("textarea[name=inputs]");
            inputs.clear();
            inputs.sendKeys("name=Ada");
            WebElement ctx = b.driver.findElement(By.cssSelector("textarea[name=context]"));
            ctx.clear();
            ctx.sendKeys(context);
            b.driver.findElement(By.cssSelector("form.playground button[type=submit]")).click();
            WebElement result = b.visible(".result .card");
            if (result.getText().contains(version) || System.nanoTime() > end) {
                return result;
            }
            Thread.sleep(200);
        }
    }

    @Test
    @Order(4)
    void publishInvalidThenValidRollBackAndSeeEachTakeEffect() throws Exception {
        open("#/deployments");
        b.withText("table tbody", "greet");
        b.screenshot("deployments");

        open("#/deployments/greet?tab=edit");
        setEditor("{\"model\": \"nowhere/gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"Say hi to {{name}}.\"}]}");
        b.driver.findElement(By.cssSelector("form.editor button[type=submit]")).click();
        WebElement error = b.visible(".field-error");
        assertThat(error.getText()).contains("definition.model").contains("nowhere").contains("nothing was saved");
        assertThat(b.driver.findElement(By.id("definition")).getAttribute("aria-invalid")).isEqualTo("true");
        b.screenshot("edit-invalid");
        assertThat(fx.getAsAdmin("/v2/admin/deployments/greet").statusCode()).as("nothing stored").isEqualTo(404);

        setEditor("""
                {"model": "mock/echo-1", "messages": [{"role": "system", "content": "Be warm."}, {"role": "user", "content": "Say hi to {{name}}."}]}""");
        b.driver.findElement(By.cssSelector("form.editor input[name=message]")).sendKeys("try the mock");
        b.driver.findElement(By.cssSelector("form.editor button[type=submit]")).click();
        b.withText("article.variant", "mock/echo-1");
        WebElement v1 = play("", "v1");
        assertThat(v1.getText()).contains("v1").contains("mock/echo-1").contains("echo: Say hi to Ada.");

        open("#/deployments/greet?tab=edit");
        setEditor("""
                {"default_variant": "main",
                 "variants": {
                   "main": {"model": "mock/echo-2", "messages": [{"role": "user", "content": "Say hi to {{name}}."}]},
                   "eu":   {"model": "mock/echo-eu", "messages": [{"role": "user", "content": "Salut {{name}}."}]}},
                 "routing": [{"name": "europe", "when": {"country": {"in": ["FR", "DE"]}}, "variant": "eu"}]}""");
        b.driver.findElement(By.cssSelector("form.editor input[name=message]")).sendKeys("route Europe to eu");
        b.driver.findElement(By.cssSelector("form.editor button[type=submit]")).click();
        b.withText("ol.rules", "europe");
        b.fullScreenshot("definition", 1280);
        WebElement eu = play("country=FR", "v2");
        assertThat(b.driver.findElement(By.cssSelector(".picked-variant")).getText()).isEqualTo("eu");
        assertThat(eu.getText()).contains("rule 'europe' matched").contains("mock/echo-eu").contains("echo: Salut Ada.");
        b.fullScreenshot("playground", 1280);
        assertThat(play("country=US", "v2").getText()).contains("main").contains("no rule matched");

        open("#/deployments/greet?tab=versions");
        b.withText("table.diff", "variants");
        b.fullScreenshot("versions", 1280);
        b.driver.findElement(By.cssSelector("button[data-version=v1]")).click();
        WebElement dialog = b.visible("dialog.confirm");
        assertThat(dialog.getText()).contains("Roll back greet?");
        dialog.findElement(By.cssSelector("button[value=ok]")).click();
        b.withText("table tbody", "rollback to v1");
        WebElement v3 = play("country=FR", "v3");
        assertThat(v3.getText()).contains("v3").contains("mock/echo-1");
        JsonNode direct = JSON.readTree(fx.post("/v2/deployments/invoke", "{\"key\": \"greet\", \"inputs\": {\"name\": \"Bo\"}}").body());
        assertThat(direct.path("version").asText()).isEqualTo("v3");
        assertThat(direct.path("model").asText()).isEqualTo("echo-1");
    }

    @Test
    @Order(5)
    void overviewChartsAndProviders() throws Exception {
        open("#/overview");
        b.await(d -> d.findElements(By.cssSelector("figure.chart canvas")).size() >= 5);
        assertThat(b.withText("table.providers", "fake").getText()).contains("CLOSED");
        b.fullScreenshot("overview", 1280);
    }

    @Test
    @Order(6)
    void phoneWidthAndKeyboard() throws Exception {
        b.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            open("#/logs");
            b.await(d -> rows().size() >= 4);
            Number overflow = (Number) b.js("return document.documentElement.scrollWidth - window.innerWidth");
            assertThat(overflow.intValue()).as("no sideways scrolling of the page").isLessThanOrEqualTo(1);
            b.screenshot("logs-phone");
            b.driver.findElement(By.tagName("body")).sendKeys("/");
            assertThat(b.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("q");
            open("#/calls/" + JSON.readTree(fx.getAsAdmin("/v1/logs?q=zx-42").body()).at("/data/0/id").asText());
            b.withText("h2", "Attempts");
            b.screenshot("call-phone");
        } finally {
            b.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }
    }
}
