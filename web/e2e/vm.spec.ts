// A virtual machine node: it boots (software emulation on this machine) and its serial console is its terminal.
import { expect, expectTerminalLine, signIn, startLab, stopFromWorkspace, terminalLines, test, typeInTerminal, users, BOOT_TIMEOUT } from "./fixtures";

test("a VM node boots and its serial console accepts a command; its desktop is the VM's screen", async ({ page }) => {
  test.setTimeout(5 * 60_000);
  await signIn(page, users.learner.id);
  await startLab(page, "A virtual machine and a container");

  // The VM's tab is its serial console: wait for the login prompt of the guest (it boots while the page is open).
  await page.getByRole("tab", { name: /^vm\s*terminal/ }).click();
  await expect
    .poll(async () => (await terminalLines(page)).some((l) => /login:\s*$/.test(l)), { timeout: BOOT_TIMEOUT * 2, message: "the VM's login prompt" })
    .toBe(true);
  await typeInTerminal(page, "root");
  await expect.poll(async () => (await terminalLines(page)).some((l) => /#\s*$/.test(l)), { timeout: 30_000, message: "a root shell in the VM" }).toBe(true);
  await typeInTerminal(page, "echo \"kernel $(uname -s)-$(uname -m)\"");
  await expectTerminalLine(page, "kernel Linux-x86_64", 30_000);

  // Its desktop tab shows the VM's screen (qemu's VNC display) through the same gateway.
  await page.getByRole("tab", { name: /^vm\s*desktop/ }).click();
  await expect(page.getByRole("tabpanel", { name: /vm.*desktop/ }).getByText("Connected", { exact: true })).toBeVisible({ timeout: 60_000 });
  const region = page.getByRole("region", { name: "Desktop of vm" });
  await expect(region.locator("canvas")).toBeVisible();

  await stopFromWorkspace(page);
});
