/* Show a form field only when another field has a given value:
   <input data-show-when="schedule_kind:monthly_date"> hides its column otherwise.
   Progressive: without JavaScript every field stays visible and the server still validates. */
(function () {
  function update(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (el) {
      var rule = el.getAttribute("data-show-when").split(":");
      var source = form.querySelector('[name="' + rule[0] + '"]');
      var wanted = rule[1].split(",");
      var box = el.closest(".col-12") || el;
      box.hidden = source ? wanted.indexOf(source.value) === -1 : false;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-show-when]")) return;
      form.addEventListener("change", function () { update(form); });
      update(form);
    });
  });
})();
