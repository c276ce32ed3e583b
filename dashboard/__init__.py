"""Introduksjonsprogram-dashboardet: published figures on Norway's introduction programme for refugees."""
