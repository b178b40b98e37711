// Browser-wallet helpers (EIP-1193 window.ethereum), used only when the browser has a wallet: fill the key
// address, sign the sign-in message (personal_sign), sign a prepared transaction (eth_signTransaction). Without a
// wallet the buttons stay hidden and the page explains how to sign on the member's own machine. No key is ever
// asked for or handled here.
(function () {
  "use strict";
  var provider = window.ethereum;

  function show(id, handler) {
    var button = document.getElementById(id);
    if (!button) { return; }
    if (!provider) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      handler(button).catch(function (error) {
        button.title = (error && error.message) || button.dataset.noWallet;
      });
    });
  }

  function firstAccount() {
    return provider.request({ method: "eth_requestAccounts" }).then(function (accounts) { return accounts[0]; });
  }

  show("wallet-address", function () {
    return firstAccount().then(function (account) { document.getElementById("address").value = account; });
  });

  show("wallet-sign", function (button) {
    var message = document.getElementById("message").value;
    var address = button.dataset.address;
    return provider.request({ method: "personal_sign", params: [message, address] }).then(function (signature) {
      document.getElementById("signature").value = signature;
      document.getElementById("siwe-form").submit();
    });
  });

  show("wallet-sign-tx", function () {
    var prepared = JSON.parse(document.getElementById("prepared-tx").value);
    return provider.request({ method: "eth_signTransaction", params: [prepared] }).then(function (raw) {
      document.getElementById("raw_transaction").value = typeof raw === "string" ? raw : raw.raw;
      document.getElementById("relay-form").submit();
    });
  });
})();
